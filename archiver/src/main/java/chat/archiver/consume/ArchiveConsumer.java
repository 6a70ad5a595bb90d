package chat.archiver.consume;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import chat.archiver.store.ArchiveBatch;
import chat.archiver.store.OffsetTable;
import chat.archiver.telemetry.ArchiverMetrics;
import chat.common.telemetry.TraceParent;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The poll loop: reads the messages and events topics as a member of the consumer group, decodes records into
 * the batches of the {@link WriterLane lanes} and hands them to their writers.
 *
 * <p>PostgreSQL, not Kafka, knows where the archive stands: on assignment each partition is positioned at its
 * offset in {@code kafka_offsets}, and every batch carries the offset it expects there, so that it commits only
 * as the direct continuation of what is archived. Whatever the loop drops (a cancelled or stale batch, the
 * records of a revoked partition) is simply read again from the archive's offsets by whoever owns the partition.
 * All of this state belongs to the poll thread, which is also where Kafka calls the rebalance listener.
 */
final class ArchiveConsumer implements ConsumerRebalanceListener {

    private static final System.Logger LOG = System.getLogger(ArchiveConsumer.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);
    /** How long a revocation or a shutdown waits for in-flight batches to commit before cancelling them. */
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(10);
    private static final Duration LAG_REPORT = Duration.ofMillis(500);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final RecordDecoder decoder;
    private final List<WriterLane> lanes;
    private final OffsetTable offsets;
    private final ArchiverMetrics metrics;
    private final Backoff positioning = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Per positioned partition: the offset after the last record taken into a batch. */
    private final Map<TopicPartition, Long> nextToRead = new HashMap<>();
    /** Per positioned partition: the archive's next offset as far as this archiver knows. */
    private final Map<TopicPartition, Long> archived = new HashMap<>();
    /** Assigned partitions not yet positioned at the archive's offsets; paused until they are. */
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private long lagReportedAt;

    ArchiveConsumer(Consumer<byte[], byte[]> consumer, List<String> topics, RecordDecoder decoder,
                    List<WriterLane> lanes, OffsetTable offsets, ArchiverMetrics metrics) {
        this.consumer = consumer;
        this.topics = topics;
        this.decoder = decoder;
        this.lanes = lanes;
        this.offsets = offsets;
        this.metrics = metrics;
    }

    /** Joins the group. */
    void subscribe() {
        consumer.subscribe(topics, this);
    }

    /** One turn of the poll loop; {@link Consumer#wakeup()} ends a turn early. */
    void turn() {
        settle(null);
        position();
        long now = System.nanoTime();
        for (WriterLane lane : lanes) {
            lane.dispatchIfDue(now);
        }
        applyBackpressure();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(pollTimeout());
        } catch (WakeupException e) {
            return;
        }
        take(records);
        reportLag();
    }

    /** Lets in-flight batches finish (or cancels them after a while) and leaves the group. */
    void close() {
        settle(SETTLE_WAIT);
        consumer.close(CloseOptions.timeout(CLOSE_WAIT));
        lanes.forEach(WriterLane::close);
    }

    /** After an unexpected failure of a turn: starts again from the archive's offsets. */
    void recover() {
        for (int lane = 0; lane < lanes.size(); lane++) {
            restartFromArchive(lane);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        LOG.log(Level.INFO, "Assigned {0}", assigned);
        unpositioned.addAll(assigned);
        consumer.pause(assigned);
        positioning.reset();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        LOG.log(Level.INFO, "Revoked {0}", revoked);
        // Finishing what is in flight lets the next owner start where this one stopped, without a stale batch.
        settle(SETTLE_WAIT);
        forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        if (lost.isEmpty()) {
            return;
        }
        LOG.log(Level.WARNING, "Lost {0} to another member of the group", lost);
        // Another archiver may already write these; what is in flight would only turn out stale.
        lanes.forEach(WriterLane::cancelAll);
        settle(SETTLE_WAIT);
        forget(lost);
    }

    /**
     * Takes the outcomes of the batches that have finished, or with {@code patience}, of every batch in flight.
     * A batch that did not commit takes the rest of its lane down with it: the lane starts again from the
     * archive.
     */
    private void settle(Duration patience) {
        for (int lane = 0; lane < lanes.size(); lane++) {
            BatchWriter.Outcome outcome;
            while ((outcome = lanes.get(lane).next(patience)) != null) {
                if (outcome instanceof BatchWriter.Outcome.Written written) {
                    archivedUpTo(written.batch());
                } else {
                    restartFromArchive(lane);
                    break;
                }
            }
        }
    }

    /** A batch committed: the archive now stands at its next offsets; Kafka is told too, for lag tools. */
    private void archivedUpTo(ArchiveBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        batch.offsets().forEach((partition, range) -> {
            if (nextToRead.containsKey(partition)) {
                archived.put(partition, range.next());
                commit.put(partition, new OffsetAndMetadata(range.next()));
            }
        });
        if (!commit.isEmpty()) {
            consumer.commitAsync(commit, (committed, e) -> {
                if (e != null) {
                    LOG.log(Level.DEBUG, "Kafka did not take the archive's offsets (only lag tools read them): {0}",
                            e.toString());
                }
            });
        }
    }

    /**
     * Something in flight in the lane did not commit, so the batches after it cannot either: drops all the lane
     * has read and positions its partitions at the archive's offsets again.
     */
    private void restartFromArchive(int lane) {
        lanes.get(lane).abandon();
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (laneOf(partition) == lane) {
                partitions.add(partition);
            }
        }
        nextToRead.keySet().removeAll(partitions);
        archived.keySet().removeAll(partitions);
        unpositioned.addAll(partitions);
        consumer.pause(partitions);
        positioning.reset();
    }

    private void forget(Collection<TopicPartition> partitions) {
        lanes.forEach(lane -> lane.drop(partitions));
        nextToRead.keySet().removeAll(partitions);
        archived.keySet().removeAll(partitions);
        unpositioned.removeAll(partitions);
    }

    /** Seeks unpositioned partitions to the archive's offsets; retried with backoff while PostgreSQL is down. */
    private void position() {
        if (unpositioned.isEmpty() || !positioning.due()) {
            return;
        }
        try {
            Map<TopicPartition, Long> firstOffsets = consumer.beginningOffsets(unpositioned);
            Map<TopicPartition, Long> stored = offsets.positions(firstOffsets);
            stored.forEach((partition, next) -> {
                consumer.seek(partition, next);
                nextToRead.put(partition, next);
                archived.put(partition, next);
            });
            unpositioned.removeAll(stored.keySet());
            positioning.reset();
            LOG.log(Level.INFO, "Resuming from the archive at {0}", stored);
        } catch (RuntimeException e) {
            int failures = positioning.failed();
            if (failures == 1) {
                LOG.log(Level.WARNING, "Cannot read where the archive stands; retrying", e);
            }
        }
    }

    /**
     * Pauses what cannot be read yet: unpositioned partitions, and those of a lane whose writer is behind
     * (PostgreSQL slow or down). Polling goes on all the same, which keeps this archiver in the group.
     */
    private void applyBackpressure() {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> hold = new HashSet<>();
        for (TopicPartition partition : assignment) {
            if (unpositioned.contains(partition) || lanes.get(laneOf(partition)).saturated()) {
                hold.add(partition);
            }
        }
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(hold);
        hold.removeAll(paused);
        if (!hold.isEmpty()) {
            consumer.pause(hold);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private Duration pollTimeout() {
        long now = System.nanoTime();
        long wait = POLL.toNanos();
        for (WriterLane lane : lanes) {
            wait = Math.min(wait, lane.nanosUntilDue(now));
        }
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), wait));
    }

    private void take(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Long next = nextToRead.get(partition);
            if (next == null) {
                // Fetched before the partition was repositioned; it is read again from the archive's offset.
                continue;
            }
            WriterLane lane = lanes.get(laneOf(partition));
            lane.add(decoder.decode(record, partition), next, lane.wantsLinks() ? traceparent(record) : null, now);
            nextToRead.put(partition, record.offset() + 1);
        }
        metrics.consumed(records.count());
    }

    private static String traceparent(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(TraceParent.HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    }

    private int laneOf(TopicPartition partition) {
        return partition.partition() % lanes.size();
    }

    /** The largest number of records not yet archived in any assigned partition. */
    private void reportLag() {
        long now = System.nanoTime();
        if (now - lagReportedAt < LAG_REPORT.toNanos()) {
            return;
        }
        lagReportedAt = now;
        long max = 0;
        for (Map.Entry<TopicPartition, Long> read : nextToRead.entrySet()) {
            OptionalLong unread = consumer.currentLag(read.getKey());
            if (unread.isPresent()) {
                long notArchived = read.getValue() - archived.getOrDefault(read.getKey(), read.getValue());
                max = Math.max(max, unread.getAsLong() + notArchived);
            }
        }
        metrics.consumerLag(max);
    }
}
