package chat.archiver.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.apache.kafka.common.TopicPartition;

/**
 * Consumed records in the order they were read, and for each partition the offset range they cover: what one
 * transaction writes. The range's {@code expected} offset is where the archive must stand for the batch to
 * commit; its {@code next} offset is where the archive stands after it.
 */
public final class ArchiveBatch {

    private final List<Consumed> entries;
    private final Map<TopicPartition, OffsetRange> offsets;
    private final List<Consumed.Message> messages = new ArrayList<>();
    private final List<Consumed.Event> events = new ArrayList<>();
    private final List<Consumed.Read> reads = new ArrayList<>();
    private final List<Consumed.RoomChanged> roomChanges = new ArrayList<>();
    private final List<Consumed.Rejected> rejected = new ArrayList<>();
    private final List<Consumed.Change> changes = new ArrayList<>();
    private final List<Consumed.Erasure> erasures = new ArrayList<>();
    private final List<String> traceparents;

    /**
     * @param entries the records, in the order they were read
     * @param starts  for each partition of the records, the archive's next offset before this batch
     */
    public ArchiveBatch(List<Consumed> entries, Map<TopicPartition, Long> starts) {
        this(entries, starts, List.of());
    }

    /**
     * @param entries      the records, in the order they were read
     * @param starts       for each partition of the records, the archive's next offset before this batch
     * @param traceparents where some of the records were produced (W3C {@code traceparent}), for the batch's span
     */
    public ArchiveBatch(List<Consumed> entries, Map<TopicPartition, Long> starts, List<String> traceparents) {
        this.entries = List.copyOf(entries);
        this.traceparents = List.copyOf(traceparents);
        Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
        for (Consumed entry : this.entries) {
            Long start = starts.get(entry.source());
            if (start == null) {
                throw new IllegalArgumentException("No start offset for " + entry.source());
            }
            ranges.put(entry.source(), new OffsetRange(start, entry.offset() + 1));
            switch (entry) {
                case Consumed.Message message -> messages.add(message);
                case Consumed.Event event -> events.add(event);
                case Consumed.Read read -> reads.add(read);
                case Consumed.RoomChanged change -> roomChanges.add(change);
                case Consumed.Rejected rejection -> rejected.add(rejection);
                case Consumed.Change change -> changes.add(change);
                case Consumed.Erasure erasure -> erasures.add(erasure);
            }
        }
        this.offsets = Collections.unmodifiableMap(ranges);
    }

    /**
     * Offsets a batch covers in one partition.
     *
     * @param expected the archive's next offset before the batch: the batch commits only if it still is
     * @param next     the archive's next offset after the batch
     */
    public record OffsetRange(long expected, long next) {
    }

    public List<Consumed> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Where some of the records were produced, for tracing; not all of them. */
    public List<String> traceparents() {
        return traceparents;
    }

    public Map<TopicPartition, OffsetRange> offsets() {
        return offsets;
    }

    public List<Consumed.Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    public List<Consumed.Event> events() {
        return Collections.unmodifiableList(events);
    }

    public List<Consumed.Read> reads() {
        return Collections.unmodifiableList(reads);
    }

    public List<Consumed.RoomChanged> roomChanges() {
        return Collections.unmodifiableList(roomChanges);
    }

    public List<Consumed.Rejected> rejected() {
        return Collections.unmodifiableList(rejected);
    }

    /** Edits and deletions, in the order they were read. */
    public List<Consumed.Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    public List<Consumed.Erasure> erasures() {
        return Collections.unmodifiableList(erasures);
    }

    /**
     * First days (UTC) of the months the messages were sent in, the changed ones included (a change brings its
     * message along): the partitions of messages this batch needs.
     */
    public Set<LocalDate> months() {
        Set<LocalDate> months = new TreeSet<>();
        long monthStart = 0;
        long monthEnd = 0;
        PrimitiveIterator.OfLong sent = LongStream.concat(
                messages.stream().mapToLong(message -> message.record().message().ts()),
                changes.stream().mapToLong(change -> change.change().message().ts())).iterator();
        while (sent.hasNext()) {
            long ts = sent.nextLong();
            if (ts < monthStart || ts >= monthEnd) {
                LocalDate month = LocalDate.ofInstant(Instant.ofEpochMilli(ts), ZoneOffset.UTC).withDayOfMonth(1);
                months.add(month);
                monthStart = month.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                monthEnd = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
        }
        return months;
    }

    /**
     * The batch cut in two at its middle, each half a batch of its own that can commit alone, the first before
     * the second: used to corner a record that PostgreSQL refuses.
     */
    public List<ArchiveBatch> halves() {
        if (entries.size() < 2) {
            throw new IllegalStateException("A batch of " + entries.size() + " record(s) cannot be halved");
        }
        int middle = entries.size() / 2;
        List<Consumed> first = entries.subList(0, middle);
        Map<TopicPartition, Long> secondStarts = new HashMap<>();
        offsets.forEach((partition, range) -> secondStarts.put(partition, range.expected()));
        for (Consumed entry : first) {
            secondStarts.put(entry.source(), entry.offset() + 1);
        }
        return List.of(new ArchiveBatch(first, startsOf()),
                new ArchiveBatch(entries.subList(middle, entries.size()), secondStarts));
    }

    /** This batch of one record, with the record replaced by its rejection, for the dead-letter topic. */
    public ArchiveBatch rejecting(Consumed.Rejected rejection) {
        if (entries.size() != 1) {
            throw new IllegalStateException("Only a batch of one record can be rejected, not " + entries.size());
        }
        Consumed entry = entries.getFirst();
        if (!entry.source().equals(rejection.source()) || entry.offset() != rejection.offset()) {
            throw new IllegalArgumentException("The rejection is of another record: " + rejection.source() + "@"
                    + rejection.offset());
        }
        return new ArchiveBatch(List.of(rejection), startsOf());
    }

    private Map<TopicPartition, Long> startsOf() {
        Map<TopicPartition, Long> starts = new HashMap<>();
        offsets.forEach((partition, range) -> starts.put(partition, range.expected()));
        return starts;
    }
}
