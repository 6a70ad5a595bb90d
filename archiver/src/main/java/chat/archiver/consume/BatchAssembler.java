package chat.archiver.consume;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.archiver.store.ArchiveBatch;
import chat.archiver.store.Consumed;
import chat.archiver.telemetry.ArchiverTracing;
import org.apache.kafka.common.TopicPartition;

/**
 * The batch being filled by the poll loop: due when it holds {@code maxRecords} records or its first record has
 * waited {@code maxWait}.
 */
final class BatchAssembler {

    private final int maxRecords;
    private final long maxWaitNanos;
    private final List<Consumed> entries = new ArrayList<>();
    private final Map<TopicPartition, Long> starts = new HashMap<>();
    private final List<String> traceparents = new ArrayList<>();
    private long firstAddedAt;

    BatchAssembler(int maxRecords, long maxWaitNanos) {
        this.maxRecords = maxRecords;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Adds a record.
     *
     * @param start where the archive will stand in the record's partition once the batches before this one are
     *              written; only the first record of a partition in this batch uses it
     */
    void add(Consumed entry, long start, long nowNanos) {
        if (entries.isEmpty()) {
            firstAddedAt = nowNanos;
        }
        starts.putIfAbsent(entry.source(), start);
        entries.add(entry);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean full() {
        return entries.size() >= maxRecords;
    }

    boolean due(long nowNanos) {
        return full() || (!entries.isEmpty() && nowNanos - firstAddedAt >= maxWaitNanos);
    }

    /** How long until the batch is due by age; {@code maxWait} if it is empty. */
    long nanosUntilDue(long nowNanos) {
        return entries.isEmpty() ? maxWaitNanos : Math.max(0, firstAddedAt + maxWaitNanos - nowNanos);
    }

    /** Whether the batch's span would take another link. */
    boolean wantsLinks() {
        return traceparents.size() < ArchiverTracing.MAX_LINKS;
    }

    /** Notes where a record of the batch was produced. */
    void link(String traceparent) {
        if (wantsLinks()) {
            traceparents.add(traceparent);
        }
    }

    /** The batch, leaving this one empty. */
    ArchiveBatch drain() {
        ArchiveBatch batch = new ArchiveBatch(entries, starts, traceparents);
        clear();
        return batch;
    }

    void clear() {
        entries.clear();
        starts.clear();
        traceparents.clear();
    }

    /** Forgets the records of partitions this archiver no longer reads. */
    void drop(Collection<TopicPartition> partitions) {
        entries.removeIf(entry -> partitions.contains(entry.source()));
        starts.keySet().removeAll(partitions);
    }
}
