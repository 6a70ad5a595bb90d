package chat.archiver;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import chat.archiver.store.Database;
import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageIds;
import chat.common.ReadMarker;
import chat.stack.TestStack;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import static org.awaitility.Awaitility.await;

/**
 * One test's archive setup on the shared stack: topics and a consumer group of its own, a room prefix no other
 * test uses, a producer that writes what chat nodes write, and queries on what the archive holds.
 */
final class ArchiveFixture implements AutoCloseable {

    static final int PARTITIONS = 4;

    private final TestStack stack;
    private final String messagesTopic;
    private final String eventsTopic;
    private final String deadLetterTopic;
    private final String group;
    private final String prefix;
    private final JsonCodec codec = new JsonCodec();
    private final MessageIds ids = new MessageIds();
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Archiver> archivers = new ArrayList<>();

    ArchiveFixture(TestStack stack) {
        this.stack = stack;
        String name = stack.uniqueName("archive");
        this.messagesTopic = name + ".messages";
        this.eventsTopic = name + ".events";
        this.deadLetterTopic = name + ".deadletter";
        this.group = name + "-group";
        this.prefix = name;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
        // Queries can run before the first archiver starts; the schema is the one the archivers migrate to.
        try (Database database = Database.open(new ArchiverSettings.Db(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword(), 2))) {
            database.migrate();
        }
    }

    /** The configuration an archiver of this fixture runs with: application.yaml under this test's names. */
    Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("chat.kafka.bootstrap", stack.kafkaBootstrap());
        settings.put("chat.kafka.group", group);
        settings.put("chat.kafka.topics.messages", messagesTopic);
        settings.put("chat.kafka.topics.events", eventsTopic);
        settings.put("chat.kafka.topics.deadletter", deadLetterTopic);
        settings.put("chat.kafka.partitions", Integer.toString(PARTITIONS));
        settings.put("chat.db.url", stack.databaseUrl());
        settings.put("chat.db.user", stack.databaseUser());
        settings.put("chat.db.password", stack.databasePassword());
        settings.put("chat.archiver.batch.records", "500");
        settings.put("chat.archiver.batch.wait", "50");
        return settings;
    }

    Config config() {
        return Config.builder()
                .sources(ConfigSources.create(settings()), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    /** Starts an archiver of this fixture's group in this JVM and waits until it is ready; closed with the fixture. */
    Archiver startArchiver() {
        Archiver archiver = new Archiver(ArchiverSettings.from(config().get("chat")),
                new ArchiverMetrics(Metrics.globalRegistry()),
                new ArchiverTracing(OpenTelemetry.noop()));
        archiver.start();
        archivers.add(archiver);
        await().atMost(Duration.ofSeconds(60)).until(archiver::ready);
        return archiver;
    }

    String room(String name) {
        return prefix + "-" + name;
    }

    String user(String name) {
        return prefix + "-" + name;
    }

    String deadLetterTopic() {
        return deadLetterTopic;
    }

    String messagesTopic() {
        return messagesTopic;
    }

    ChatMessage message(String room, long seq, String from, String text) {
        return new ChatMessage(ids.next(), room, seq, from, text, System.currentTimeMillis(), "cid-" + seq);
    }

    void produce(ArchiveRecord record) {
        send(messagesTopic, record.message().room(), codec.encode(record));
    }

    void produce(ConnectionEvent event) {
        send(eventsTopic, event.user(), codec.encode(event));
    }

    void produce(ReadMarker marker) {
        send(eventsTopic, marker.user(), codec.encode(marker));
    }

    String eventsTopic() {
        return eventsTopic;
    }

    void send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits until Kafka has every record produced so far. */
    void flush() {
        producer.flush();
    }

    /** Sends a record and waits for Kafka to acknowledge it. */
    void sendNow(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the record", e);
        }
    }

    /** Every record of the dead-letter topic, read from its start until {@code expected} arrived or time ran out. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(deadLetterTopic));
            long deadline = System.nanoTime() + within.toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
        }
        return letters;
    }

    /** Members of this fixture's consumer group that have partitions assigned; 0 if the group is gone. */
    long membersWithPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            return description.members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty())
                    .count();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    long count(String sql, Object... params) {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Messages archived in this fixture's rooms. */
    long archivedMessages() {
        return count("SELECT count(*) FROM messages WHERE room LIKE ?", prefix + "-%");
    }

    /** Connection events logged for this fixture's users. */
    long loggedEvents() {
        return count("SELECT count(*) FROM connection_events WHERE user_id LIKE ?", prefix + "-%");
    }

    List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }

    @Override
    public void close() {
        archivers.forEach(Archiver::close);
        producer.close();
    }
}
