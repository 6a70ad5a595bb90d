package chat.archiver.consume;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import chat.archiver.ArchiverSettings;
import chat.archiver.store.ArchiveWriter;
import chat.archiver.store.Database;
import chat.archiver.store.MessagePartitions;
import chat.archiver.store.OffsetTable;
import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import chat.common.JsonCodec;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The archiver's own thread: migrates the schema and creates missing topics (waiting for PostgreSQL and Kafka as
 * long as it takes), then runs the poll loop until closed.
 */
public final class ArchiveLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ArchiveLoop.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final Database database;
    private final KafkaClients clients;
    private final KafkaConsumer<byte[], byte[]> kafka;
    private final DeadLetters deadLetters;
    private final ArchiveConsumer consumer;
    private final Thread thread;
    private volatile boolean running;
    private volatile boolean polling;
    private boolean closed;

    public ArchiveLoop(ArchiverSettings settings, Database database, ArchiverMetrics metrics,
                       ArchiverTracing tracing) {
        ArchiverSettings.Kafka kafkaSettings = settings.kafka();
        this.database = database;
        this.clients = new KafkaClients(kafkaSettings, settings.batch().maxRecords());
        this.kafka = clients.consumer();
        this.deadLetters = new DeadLetters(clients.deadLetterProducer(), kafkaSettings.deadLetterTopic());
        RecordDecoder decoder = new RecordDecoder(new JsonCodec(), kafkaSettings.messagesTopic());
        OffsetTable offsets = new OffsetTable(database.client(), kafkaSettings.group());
        ArchiveWriter writer = new ArchiveWriter(database.dataSource(), offsets,
                new MessagePartitions(database.client()));
        List<WriterLane> lanes = new ArrayList<>();
        for (int lane = 0; lane < settings.writers(); lane++) {
            lanes.add(new WriterLane(
                    new BatchAssembler(settings.batch().maxRecords(), settings.batch().maxWait().toNanos()),
                    new BatchWriter("archiver-writer-" + lane, writer, deadLetters, decoder, metrics, tracing),
                    metrics));
        }
        this.consumer = new ArchiveConsumer(kafka, List.of(kafkaSettings.messagesTopic(),
                kafkaSettings.eventsTopic()), decoder, lanes, offsets, metrics);
        this.thread = new Thread(this::run, "archiver-poll");
    }

    public synchronized void start() {
        running = true;
        thread.start();
    }

    /** Whether the loop is in the consumer group, reading. */
    public boolean polling() {
        return polling;
    }

    /** Stops the loop: the batches in flight may still commit; what was read after them is left to be read again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread.isAlive() || running) {
            running = false;
            kafka.wakeup();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
        }
        deadLetters.close();
    }

    private void run() {
        try {
            if (!untilDone("migrate the archive schema", database::migrate)
                    || !untilDone("create the archiver's topics", clients::createMissingTopics)) {
                return;
            }
            consumer.subscribe();
            polling = true;
            while (running) {
                try {
                    consumer.turn();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "The poll loop failed; starting again from the archive's offsets", e);
                    pause(MAX_RETRY.toNanos());
                    consumer.recover();
                }
            }
        } finally {
            polling = false;
            consumer.close();
        }
    }

    /** Runs the step until it succeeds; false if the loop was closed first. */
    private boolean untilDone(String step, Runnable action) {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        while (running) {
            try {
                action.run();
                return true;
            } catch (RuntimeException e) {
                if (backoff.failed() == 1) {
                    LOG.log(Level.WARNING, "Cannot " + step + " yet; retrying", e);
                }
                pause(backoff.nanosUntilDue());
            }
        }
        return false;
    }

    private void pause(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
