package chat.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageIds;
import chat.stack.LocalStack;
import chat.stack.StackPorts;
import chat.stack.StackService;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Archiver throughput: starts PostgreSQL and Kafka locally, fills the messages topic with chat messages produced
 * as chat nodes produce them, then starts one archiver and times it from start until every message is in
 * PostgreSQL. Run with {@code ./mvnw -pl archiver -Pbenchmark test-compile exec:exec}; the properties
 * {@code benchmark.messages}, {@code benchmark.rooms}, {@code benchmark.users}, {@code benchmark.batch} change the
 * load.
 */
public final class ArchiverBenchmark {

    private static final int PARTITIONS = 12;
    private static final Duration SAMPLE = Duration.ofMillis(100);

    private ArchiverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("benchmark.messages", 1_000_000);
        int rooms = Integer.getInteger("benchmark.rooms", 1_000);
        int users = Integer.getInteger("benchmark.users", 20_000);
        int batch = Integer.getInteger("benchmark.batch", 10_000);
        Path folder = Files.createTempDirectory("archiver-benchmark-");
        try {
            run(folder, messages, rooms, users, batch);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void run(Path folder, int messages, int rooms, int users, int batch) throws Exception {
        try (LocalStack stack = LocalStack.start(folder, false, StackPorts.anyFree(),
                EnumSet.of(StackService.POSTGRES, StackService.KAFKA))) {
            String bootstrap = stack.kafka().bootstrap();
            createTopics(bootstrap);
            long fillStarted = System.nanoTime();
            fill(bootstrap, messages, rooms, users);
            long produced = messagesIn(bootstrap);
            System.out.printf("Filled chat.messages with %,d messages in %.1f s%n", produced,
                    seconds(System.nanoTime() - fillStarted));

            Config config = Config.builder()
                    .sources(ConfigSources.create(Map.of(
                            "chat.kafka.bootstrap", bootstrap,
                            "chat.db.url", stack.postgres().jdbcUrl(),
                            "chat.db.user", stack.postgres().user(),
                            "chat.db.password", stack.postgres().password(),
                            "chat.archiver.batch.records", Integer.toString(batch))),
                            ConfigSources.classpath("application.yaml"))
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .build();
            ArchiverSettings settings = ArchiverSettings.from(config.get("chat"));
            try (Connection db = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                    stack.postgres().password());
                 Archiver archiver = new Archiver(settings, new ArchiverMetrics(Metrics.globalRegistry()),
                new ArchiverTracing(OpenTelemetry.noop()))) {
                CpuUse before = CpuUse.now(folder);
                long started = System.nanoTime();
                archiver.start();
                long halfArchivedAt = 0;
                long archivedAtHalf = 0;
                CpuUse atHalf = null;
                long archived = 0;
                while (archived < produced) {
                    Thread.sleep(SAMPLE.toMillis());
                    archived = archivedOffsets(db, settings.kafka().group());
                    if (atHalf == null && archived >= produced / 2) {
                        halfArchivedAt = System.nanoTime();
                        archivedAtHalf = archived;
                        atHalf = CpuUse.now(folder);
                    }
                }
                long finished = System.nanoTime();
                CpuUse used = CpuUse.now(folder).minus(before);
                CpuUse usedInSecondHalf = CpuUse.now(folder).minus(atHalf);
                long rows = count(db, "SELECT count(*) FROM messages");
                double total = seconds(finished - started);
                long secondHalf = produced - archivedAtHalf;
                System.out.printf("Archived %,d messages (%,d rows) in %.2f s from start: %,.0f messages/s;"
                                + " the second half at %,.0f messages/s (batch %,d records, %d partitions)%n",
                        produced, rows, total, produced / total, secondHalf / seconds(finished - halfArchivedAt),
                        batch, PARTITIONS);
                Metrics.getTimer(ArchiverMetrics.DB_WRITE).ifPresent(writes -> System.out.printf(
                        "%,d batch transactions, %.1f ms each on average: the writer was busy %.0f%% of the time%n",
                        writes.count(), writes.mean(TimeUnit.MILLISECONDS),
                        100 * writes.totalTime(TimeUnit.NANOSECONDS) / (finished - started)));
                report("CPU used from start", used, produced);
                report("CPU used in the second half", usedInSecondHalf, secondHalf);
            }
        }
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                    new NewTopic("chat.messages", Optional.of(PARTITIONS), Optional.empty()),
                    new NewTopic("chat.events", Optional.of(PARTITIONS), Optional.empty()),
                    new NewTopic("chat.deadletter", Optional.of(PARTITIONS), Optional.empty()))).all().get();
        }
    }

    /**
     * Produces as a chat node does (idempotent, acks=all, key = room), with rooms and senders spread evenly.
     */
    private static void fill(String bootstrap, int messages, int rooms, int users) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        JsonCodec codec = new JsonCodec();
        MessageIds ids = new MessageIds();
        long[] seqs = new long[rooms];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < messages; i++) {
                int room = random.nextInt(rooms);
                int user = random.nextInt(users);
                String roomName = "room-" + room;
                ChatMessage message = new ChatMessage(ids.next(), roomName, ++seqs[room], "user-" + user,
                        "message " + i + " from user " + user + ": the quick brown fox jumps over the lazy dog",
                        System.currentTimeMillis(), "c" + i);
                ProducerRecord<String, String> record = new ProducerRecord<>("chat.messages", roomName,
                        codec.encode(new ArchiveRecord(message, "User " + user)));
                if (i < PARTITIONS) {
                    // A new topic's partitions take a moment to get a leader; the first send to each waits for it.
                    producer.send(new ProducerRecord<>("chat.messages", i, record.key(), record.value())).get();
                    acknowledged.incrementAndGet();
                    continue;
                }
                producer.send(record, (metadata, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the first message", e);
        }
        if (failure.get() != null) {
            System.out.printf("%,d messages were not acknowledged: %s%n", messages - acknowledged.get(),
                    failure.get());
        }
    }

    /** Records in the messages topic: the sum of its partitions' end offsets. */
    private static long messagesIn(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                ends.put(new TopicPartition("chat.messages", partition), OffsetSpec.latest());
            }
            return admin.listOffsets(ends).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private static void report(String what, CpuUse used, long messages) {
        double perMillion = used.total() / messages * 1e6;
        System.out.printf("%s: archiver JVM %.1f s, PostgreSQL %.1f s, Kafka %.1f s; %.1f CPU-seconds per million"
                        + " messages, so %,.0f messages/s if two cores did nothing else%n", what, used.archiver(),
                used.postgres(), used.kafka(), perMillion, 2 / perMillion * 1e6);
    }

    /** CPU seconds used so far by the archiver's JVM (this one), PostgreSQL and the Kafka broker. */
    private record CpuUse(double archiver, double postgres, double kafka) {
        static CpuUse now(Path folder) throws IOException {
            long postmaster = Long.parseLong(
                    Files.readAllLines(folder.resolve("postgres/data/postmaster.pid")).getFirst().trim());
            long broker = ProcessHandle.current().descendants()
                    .filter(process -> ProcessCpu.commandLine(process.pid()).contains("kafka.Kafka"))
                    .findFirst().orElseThrow().pid();
            return new CpuUse(ProcessCpu.secondsOf(ProcessHandle.current().pid()),
                    ProcessCpu.secondsWithDescendants(postmaster), ProcessCpu.secondsWithDescendants(broker));
        }

        CpuUse minus(CpuUse earlier) {
            return new CpuUse(archiver - earlier.archiver, postgres - earlier.postgres, kafka - earlier.kafka);
        }

        double total() {
            return archiver + postgres + kafka;
        }
    }

    private static long archivedOffsets(Connection db, String group) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets WHERE consumer_group = ? AND topic = ?")) {
            query.setString(1, group);
            query.setString(2, "chat.messages");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            // The schema appears once the archiver has migrated it.
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
