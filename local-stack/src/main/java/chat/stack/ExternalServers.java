package chat.stack;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Servers that already run elsewhere, named by environment variables, which the tests use instead of starting
 * their own: {@value #REDIS_URL}, {@value #DATABASE_URL} (a JDBC URL, with {@value #DATABASE_USER} and
 * {@value #DATABASE_PASSWORD}) and {@value #KAFKA_BOOTSTRAP}.
 */
record ExternalServers(Optional<String> redisUrl, Optional<String> databaseUrl, String databaseUser,
                       String databasePassword, Optional<String> kafkaBootstrap) {

    static final String REDIS_URL = "CHAT_TEST_REDIS_URL";
    static final String DATABASE_URL = "CHAT_TEST_DATABASE_URL";
    static final String DATABASE_USER = "CHAT_TEST_DATABASE_USER";
    static final String DATABASE_PASSWORD = "CHAT_TEST_DATABASE_PASSWORD";
    static final String KAFKA_BOOTSTRAP = "CHAT_TEST_KAFKA_BOOTSTRAP";

    static ExternalServers none() {
        return new ExternalServers(Optional.empty(), Optional.empty(), "", "", Optional.empty());
    }

    static ExternalServers from(Map<String, String> environment) {
        return new ExternalServers(
                value(environment, REDIS_URL),
                value(environment, DATABASE_URL),
                value(environment, DATABASE_USER).orElse("postgres"),
                value(environment, DATABASE_PASSWORD).orElse(""),
                value(environment, KAFKA_BOOTSTRAP));
    }

    /** The servers that are not external, which the tests start themselves. */
    Set<StackService> localServices() {
        Set<StackService> local = EnumSet.noneOf(StackService.class);
        if (redisUrl.isEmpty()) {
            local.add(StackService.REDIS);
        }
        if (databaseUrl.isEmpty()) {
            local.add(StackService.POSTGRES);
        }
        if (kafkaBootstrap.isEmpty()) {
            local.add(StackService.KAFKA);
        }
        return local;
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }
}
