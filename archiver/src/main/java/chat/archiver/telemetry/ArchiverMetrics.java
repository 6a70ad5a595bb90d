package chat.archiver.telemetry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Timer;

/**
 * Every metric the archiver publishes, named in one place. No metric has a label whose values grow with traffic
 * (no room, user or partition labels).
 */
public final class ArchiverMetrics {

    public static final String RECORDS_CONSUMED = "chat_archiver_records_consumed";
    public static final String BATCH_SIZE = "chat_archiver_batch_size";
    public static final String DB_WRITE = "chat_archiver_db_write";
    public static final String DB_WRITE_FAILURES = "chat_archiver_db_write_failures";
    public static final String MESSAGES_ARCHIVED = "chat_archiver_messages_archived";
    public static final String DUPLICATES_SKIPPED = "chat_archiver_duplicates_skipped";
    public static final String EVENTS_ARCHIVED = "chat_archiver_connection_events_archived";
    public static final String READ_MARKERS_RAISED = "chat_archiver_read_markers_raised";
    public static final String ROOM_CHANGES_ARCHIVED = "chat_archiver_room_changes_archived";
    public static final String DEAD_LETTERED = "chat_archiver_dead_lettered";
    public static final String STALE_BATCHES = "chat_archiver_stale_batches";
    public static final String CONSUMER_LAG = "chat_archiver_consumer_lag";
    public static final String INGRESS_TO_ARCHIVED = "chat_archiver_ingress_to_archived";
    public static final String CHANGES_ARCHIVED = "chat_archiver_message_changes_archived";
    public static final String ERASURES_ARCHIVED = "chat_archiver_user_erasures_archived";

    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(5)};

    private final Counter recordsConsumed;
    private final DistributionSummary batchSize;
    private final Timer dbWrite;
    private final Counter dbWriteFailures;
    private final Counter messagesArchived;
    private final Counter duplicatesSkipped;
    private final Counter eventsArchived;
    private final Counter readMarkersRaised;
    private final Counter roomChangesArchived;
    private final Counter deadLettered;
    private final Counter staleBatches;
    private final Timer ingressToArchived;
    private final AtomicLong consumerLag = new AtomicLong();
    private final Counter changesArchived;
    private final Counter erasuresArchived;

    public ArchiverMetrics(MeterRegistry registry) {
        recordsConsumed = registry.getOrCreate(Counter.builder(RECORDS_CONSUMED)
                .description("Records read from the messages and events topics"));
        batchSize = registry.getOrCreate(DistributionSummary.builder(BATCH_SIZE)
                .description("Records per batch written in one transaction")
                .baseUnit("records"));
        dbWrite = registry.getOrCreate(Timer.builder(DB_WRITE)
                .description("Duration of one batch transaction, successful or not")
                .baseUnit(TimeUnit.SECONDS)
                .buckets(LATENCY_BUCKETS));
        dbWriteFailures = registry.getOrCreate(Counter.builder(DB_WRITE_FAILURES)
                .description("Batch transactions that failed and were retried"));
        messagesArchived = registry.getOrCreate(Counter.builder(MESSAGES_ARCHIVED)
                .description("Messages inserted into the archive"));
        duplicatesSkipped = registry.getOrCreate(Counter.builder(DUPLICATES_SKIPPED)
                .description("Messages not inserted because the archive already held them"));
        eventsArchived = registry.getOrCreate(Counter.builder(EVENTS_ARCHIVED)
                .description("Connection events appended to the connection log"));
        readMarkersRaised = registry.getOrCreate(Counter.builder(READ_MARKERS_RAISED)
                .description("Read markers the archive moved forward or added (an older or replayed one moves none)"));
        roomChangesArchived = registry.getOrCreate(Counter.builder(ROOM_CHANGES_ARCHIVED)
                .description("Room membership changes applied to the rooms and room_members tables"));
        deadLettered = registry.getOrCreate(Counter.builder(DEAD_LETTERED)
                .description("Records that could not be archived and went to the dead-letter topic"));
        staleBatches = registry.getOrCreate(Counter.builder(STALE_BATCHES)
                .description("Batches dropped because their partition had moved on under another archiver"));
        ingressToArchived = registry.getOrCreate(Timer.builder(INGRESS_TO_ARCHIVED)
                .description("From a message's ts at the chat node to its commit in the archive, for a sample of"
                        + " the messages")
                .baseUnit(TimeUnit.SECONDS)
                .buckets(LATENCY_BUCKETS));
        registry.getOrCreate(Gauge.builder(CONSUMER_LAG, consumerLag, AtomicLong::doubleValue)
                .description("Records not yet archived in the most lagging assigned partition"));
        changesArchived = registry.getOrCreate(Counter.builder(CHANGES_ARCHIVED)
                .description("Edits and deletions of messages in committed batches (one the archive already held"
                        + " is counted, and stored once)"));
        erasuresArchived = registry.getOrCreate(Counter.builder(ERASURES_ARCHIVED)
                .description("Users' erasures applied (name gone from users and the connection log)"));
    }

    public void consumed(int records) {
        recordsConsumed.increment(records);
    }

    public void batchDispatched(int records) {
        batchSize.record(records);
    }

    public void batchWritten(long nanos, int inserted, int duplicates, int events, int roomChanges) {
        dbWrite.record(nanos, TimeUnit.NANOSECONDS);
        messagesArchived.increment(inserted);
        duplicatesSkipped.increment(duplicates);
        eventsArchived.increment(events);
        roomChangesArchived.increment(roomChanges);
    }

    public void batchFailed(long nanos) {
        dbWrite.record(nanos, TimeUnit.NANOSECONDS);
        dbWriteFailures.increment();
    }

    /** A message sent at {@code sentAtMillis} (the node's clock) is now in the archive. */
    public void archived(long sentAtMillis, long nowMillis) {
        ingressToArchived.record(Math.max(0, nowMillis - sentAtMillis), TimeUnit.MILLISECONDS);
    }

    public void readMarkersRaised(int markers) {
        readMarkersRaised.increment(markers);
    }

    public void deadLettered(int records) {
        deadLettered.increment(records);
    }

    public void staleBatch() {
        staleBatches.increment();
    }

    public void consumerLag(long records) {
        consumerLag.set(records);
    }

    public void changesArchived(int changes, int erasures) {
        changesArchived.increment(changes);
        erasuresArchived.increment(erasures);
    }
}
