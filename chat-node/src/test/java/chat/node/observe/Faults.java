package chat.node.observe;

import chat.node.support.SioClient;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One failure of each kind the dashboards count as an error, made for real against the test's servers and
 * confined to the test's own rooms, topics and consumer group: Redis refusing a publish, Kafka refusing a
 * record, a record the archiver must dead-letter, and one failed archive transaction.
 */
final class Faults implements AutoCloseable {
    private final String redisUrl;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String suffix;
    private boolean triggerArmed;

    /** @param suffix makes the names of what the faults create unique to this run */
    Faults(String redisUrl, String dbUrl, String dbUser, String dbPassword, String suffix) {
        this.redisUrl = redisUrl;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.suffix = suffix.replaceAll("[^a-z0-9]", "_");
    }

    /**
     * The room's sequence counter holds text, so the publish script's INCR fails and the message is answered
     * {@code unavailable}. The key name is the one {@code Channels} gives the room's counter.
     */
    void redisRefusesAPublish(SioClient member, String room) {
        ChatTraffic.ok(member.call("join", Map.of("room", room)));
        String counter = "chat:{" + room + "}:seq";
        try (Jedis redis = new Jedis(URI.create(redisUrl))) {
            redis.set(counter, "not a number");
            ChatTraffic.refused(member.call("message", Map.of("room", room, "text", "lost")), "unavailable");
            redis.del(counter);
        }
    }

    /**
     * A message larger than the node's Kafka producer takes ({@code max.request.size}, which the test sets low):
     * Redis delivers it, Kafka refuses it, and the sender's ack says {@code unavailable}.
     */
    void kafkaRefusesAMessage(SioClient member, String room, int textLength) {
        ChatTraffic.ok(member.call("join", Map.of("room", room)));
        ChatTraffic.refused(member.call("message", Map.of("room", room, "text", "k".repeat(textLength))),
                "unavailable");
    }

    /** A record on the messages topic that is no archive record: the archiver dead-letters it. */
    void recordTheArchiverCannotRead(String kafkaBootstrap, String messagesTopic) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            producer.send(new ProducerRecord<>(messagesTopic, "general", "this is not an archive record")).get();
        } catch (ExecutionException e) {
            throw new AssertionError("could not produce the unreadable record", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The next archive transaction of the consumer group fails once, from a trigger on {@code kafka_offsets}
     * that every batch updates; the retry succeeds, since a sequence does not roll back with the transaction.
     */
    void archiveWriteFailsOnce(String consumerGroup) {
        execute("CREATE SEQUENCE fault_" + suffix,
                "CREATE FUNCTION fault_" + suffix + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF nextval('fault_" + suffix + "') = 1 THEN"
                        + " RAISE EXCEPTION 'injected by the dashboard test: one failed archive write';"
                        + " END IF; RETURN NEW; END $$",
                "CREATE TRIGGER fault_" + suffix + " BEFORE UPDATE ON kafka_offsets FOR EACH ROW"
                        + " WHEN (NEW.consumer_group = '" + consumerGroup + "') EXECUTE FUNCTION fault_" + suffix
                        + "()");
        triggerArmed = true;
    }

    @Override
    public void close() {
        if (triggerArmed) {
            execute("DROP TRIGGER IF EXISTS fault_" + suffix + " ON kafka_offsets",
                    "DROP FUNCTION IF EXISTS fault_" + suffix + "()",
                    "DROP SEQUENCE IF EXISTS fault_" + suffix);
        }
    }

    private void execute(String... statements) {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             Statement statement = db.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL refused the fault injection", e);
        }
    }
}
