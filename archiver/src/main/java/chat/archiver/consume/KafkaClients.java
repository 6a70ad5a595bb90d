package chat.archiver.consume;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import chat.archiver.ArchiverSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The archiver's Kafka clients, each with the settings its job needs over the pass-through
 * {@code chat.kafka.properties} (security and the like).
 */
final class KafkaClients {

    private final ArchiverSettings.Kafka settings;
    private final int batchRecords;

    KafkaClients(ArchiverSettings.Kafka settings, int batchRecords) {
        this.settings = settings;
        this.batchRecords = batchRecords;
    }

    /**
     * A consumer of raw bytes, so that a record that is not even UTF-8 still reaches the dead-letter topic as it
     * was. Offsets live in PostgreSQL, so Kafka never commits on its own.
     */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Only the partitions that move are revoked on a rebalance; the others keep their batches in flight.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        // Half a batch per poll keeps the poll loop turning while a batch fills.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(500, batchRecords / 2));
        // Fetch in large responses when there is a backlog, without waiting long when there is not.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        // A crashed archiver's partitions wait this long for a new owner; Kafka's 45 s default is a long gap.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putAll(settings.clientProperties());
        if ("consumer".equalsIgnoreCase(String.valueOf(config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            // The broker-driven protocol assigns partitions itself and refuses a client-side assignor.
            config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        }
        return new KafkaConsumer<>(config);
    }

    /** A producer for dead letters that counts a record as sent only once all in-sync replicas have it. */
    KafkaProducer<byte[], byte[]> deadLetterProducer() {
        Map<String, Object> config = common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putAll(settings.clientProperties());
        return new KafkaProducer<>(config);
    }

    /**
     * Creates the topics the archiver reads and writes if they do not exist, with {@code chat.kafka.partitions}
     * partitions and the cluster's default replication.
     *
     * @throws KafkaException if Kafka did not answer in time
     */
    void createMissingTopics() {
        Map<String, Object> config = common();
        config.putAll(settings.clientProperties());
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> topics = Stream.of(settings.messagesTopic(), settings.eventsTopic(), settings.deadLetterTopic())
                    .distinct()
                    .map(name -> new NewTopic(name, Optional.of(settings.partitions()), Optional.empty()))
                    .toList();
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("Could not create topic " + name, e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new KafkaException("Kafka did not create topic " + name + " in time", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("Interrupted while creating topic " + name, e);
                }
            });
        }
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        return config;
    }
}
