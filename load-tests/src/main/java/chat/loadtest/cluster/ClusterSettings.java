package chat.loadtest.cluster;

import chat.stack.LocalStack;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where the servers under test find Redis, Kafka and PostgreSQL, and the secret their tokens are signed with.
 *
 * @param redisUrl         Redis
 * @param kafkaBootstrap   Kafka
 * @param databaseUrl      PostgreSQL for history, or empty
 * @param databaseUser     its user
 * @param databasePassword its password
 * @param authSecret       the HS256 secret
 */
public record ClusterSettings(String redisUrl, String kafkaBootstrap, String databaseUrl, String databaseUser,
                              String databasePassword, String authSecret) {

    /** The local stack's addresses, with a secret of its own for this run. */
    public static ClusterSettings of(LocalStack stack) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return new ClusterSettings(stack.redis().url(), stack.kafka().bootstrap(), stack.postgres().jdbcUrl(),
                stack.postgres().user(), stack.postgres().password(), HexFormat.of().formatHex(random));
    }
}
