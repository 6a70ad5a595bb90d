package chat.loadtest.cluster;

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
}
