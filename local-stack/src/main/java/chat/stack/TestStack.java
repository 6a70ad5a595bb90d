package chat.stack;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test sees of the shared stack: where Redis, PostgreSQL and Kafka are, fresh names for rooms, keys and
 * topics, and the real server processes, to stop, start or kill them.
 *
 * <p>A server named by an environment variable (see {@link ChatStackExtension}) is not ours to control: a test that
 * asks for its process is aborted, with the reason on stderr as well as in the report.
 */
public final class TestStack {

    private static final String NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int NAME_SUFFIX_LENGTH = 10;

    private final ExternalServers external;
    private final LocalStack local;

    TestStack(ExternalServers external, LocalStack local) {
        this.external = external;
        this.local = local;
    }

    /** {@code redis://host:port} */
    public String redisUrl() {
        return external.redisUrl().orElseGet(() -> local.redis().url());
    }

    /** A JDBC URL of the database {@value PostgresServer#DATABASE}. */
    public String databaseUrl() {
        return external.databaseUrl().orElseGet(() -> local.postgres().jdbcUrl());
    }

    public String databaseUser() {
        return external.databaseUrl().isPresent() ? external.databaseUser() : local.postgres().user();
    }

    public String databasePassword() {
        return external.databaseUrl().isPresent() ? external.databasePassword() : local.postgres().password();
    }

    /** {@code host:port} */
    public String kafkaBootstrap() {
        return external.kafkaBootstrap().orElseGet(() -> local.kafka().bootstrap());
    }

    /**
     * A name no other test gets, such as {@code room-k3x9q0b2za}: the prefix in lowercase with anything outside
     * {@code [a-z0-9-]} turned into {@code -}, a dash, and ten random characters, so that tests sharing the servers
     * never meet in a room, key or topic.
     */
    public String uniqueName(String prefix) {
        String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        StringBuilder name = new StringBuilder(cleaned);
        if (!cleaned.isEmpty() && !cleaned.endsWith("-")) {
            name.append('-');
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < NAME_SUFFIX_LENGTH; i++) {
            name.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return name.toString();
    }

    /** The Redis process; aborts the test if Redis is external. */
    public RedisServer redisServer() {
        requireLocal(external.redisUrl(), "Redis", ExternalServers.REDIS_URL);
        return local.redis();
    }

    /** The PostgreSQL process; aborts the test if PostgreSQL is external. */
    public PostgresServer postgresServer() {
        requireLocal(external.databaseUrl(), "PostgreSQL", ExternalServers.DATABASE_URL);
        return local.postgres();
    }

    /** The Kafka broker process; aborts the test if Kafka is external. */
    public KafkaServer kafkaServer() {
        requireLocal(external.kafkaBootstrap(), "Kafka", ExternalServers.KAFKA_BOOTSTRAP);
        return local.kafka();
    }

    private static void requireLocal(Optional<String> external, String server, String variable) {
        if (external.isPresent()) {
            String reason = "ABORTED: this test stops or starts the " + server + " process, but " + variable + "="
                    + external.get() + " points the tests at a server they do not own; unset it to run this test";
            System.err.println("[ChatStackExtension] " + reason);
            Assumptions.abort(reason);
        }
    }
}
