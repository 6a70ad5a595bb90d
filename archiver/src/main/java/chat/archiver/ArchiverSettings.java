package chat.archiver;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;

/**
 * The archiver's configuration, read from the {@code chat} node of {@code application.yaml} and its environment
 * overrides ({@code CHAT_DB_URL} is {@code chat.db.url}).
 *
 * @param kafka   where to consume from and dead-letter to
 * @param db      the archive database
 * @param batch   how many records go into one transaction
 * @param writers how many transactions run side by side, each for its own share of the partitions
 * @param tracing where spans go
 */
public record ArchiverSettings(Kafka kafka, Db db, Batch batch, int writers, Tracing tracing) {

    public ArchiverSettings {
        if (writers < 1) {
            throw new IllegalArgumentException("chat.archiver.writers must be at least 1, not " + writers);
        }
        if (db.poolSize() <= writers) {
            throw new IllegalArgumentException("chat.db.poolsize (" + db.poolSize() + ") must exceed"
                    + " chat.archiver.writers (" + writers + "): each writer holds a connection while it writes");
        }
    }

    /** Reads the settings from the {@code chat} node. */
    public static ArchiverSettings from(Config chat) {
        Config kafka = chat.get("kafka");
        Config topics = kafka.get("topics");
        Config db = chat.get("db");
        Config batch = chat.get("archiver.batch");
        return new ArchiverSettings(
                new Kafka(kafka.get("bootstrap").asString().get(),
                        kafka.get("group").asString().get(),
                        topics.get("messages").asString().get(),
                        topics.get("events").asString().get(),
                        topics.get("deadletter").asString().get(),
                        kafka.get("partitions").asInt().get(),
                        kafka.get("properties").detach().asMap().orElse(Map.of())),
                new Db(db.get("url").asString().get(),
                        db.get("user").asString().get(),
                        db.get("password").asString().orElse(""),
                        db.get("poolsize").asInt().get()),
                new Batch(batch.get("records").asInt().get(),
                        Duration.ofMillis(batch.get("wait").asLong().get())),
                chat.get("archiver.writers").asInt().get(),
                new Tracing(chat.get("tracing.endpoint").asString().orElse(""),
                        chat.get("tracing.ratio").asDouble().get()));
    }

    /**
     * @param bootstrap        Kafka bootstrap servers
     * @param group            consumer group, also the key of this group's rows in {@code kafka_offsets}
     * @param messagesTopic    topic of archive records
     * @param eventsTopic      topic of connection events
     * @param deadLetterTopic  where records that cannot be archived go
     * @param partitions       partitions of the topics the archiver creates when they are missing
     * @param clientProperties passed to every Kafka client as they are, e.g. SASL_SSL settings of hosted Kafka
     */
    public record Kafka(String bootstrap, String group, String messagesTopic, String eventsTopic,
                        String deadLetterTopic, int partitions, Map<String, String> clientProperties) {
        public Kafka {
            clientProperties = Map.copyOf(clientProperties);
        }

        /** Without the client properties' values, which may hold credentials. */
        @Override
        public String toString() {
            return "Kafka[bootstrap=" + bootstrap + ", group=" + group + ", topics=" + messagesTopic + ","
                    + eventsTopic + "," + deadLetterTopic + ", properties=" + clientProperties.keySet() + "]";
        }
    }

    /**
     * @param url      JDBC URL of the PostgreSQL database
     * @param user     database user
     * @param password database password
     * @param poolSize connections in the pool
     */
    public record Db(String url, String user, String password, int poolSize) {
        /** Without the password. */
        @Override
        public String toString() {
            return "Db[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }

    /**
     * @param endpoint OTLP endpoint (http/protobuf), or empty: then {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or none
     * @param ratio    fraction of batches traced
     */
    public record Tracing(String endpoint, double ratio) {
    }

    /**
     * @param maxRecords records at most in one batch
     * @param maxWait    how long the first record of a batch waits for more before the batch is written anyway
     */
    public record Batch(int maxRecords, Duration maxWait) {
    }
}
