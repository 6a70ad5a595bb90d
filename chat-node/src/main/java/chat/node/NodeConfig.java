package chat.node;

import chat.node.auth.AuthSettings;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * What a chat node reads from the {@code chat} section, besides the Engine.IO settings of
 * {@link chat.node.engineio.EngineConfig}, of its configuration (application.yaml, overridden
 * by environment variables such as {@code CHAT_REDIS_URL}).
 */
public record NodeConfig(
        String nodeId,
        Duration connectTimeout,
        int maxTextLength,
        double messagesPerSecond,
        int messageBurst,
        int outboxFrames,
        int joinMissedCap,
        String redisUrl,
        String redisCluster,
        int redisPoolSize,
        Duration redisTimeout,
        int redisReplicas,
        int recentPerRoom,
        Duration recoveryWindow,
        AuthSettings auth,
        boolean devTokens,
        Duration devTokenTtl,
        boolean devTokenAdmin,
        String kafkaBootstrap,
        String messagesTopic,
        String eventsTopic,
        int topicPartitions,
        java.util.Optional<Short> topicReplication,
        Duration ackTimeout,
        Map<String, String> kafkaProperties,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String tracingEndpoint,
        double tracingRatio) {

    /** Reads the node's settings from the root configuration; every default is in application.yaml, none here. */
    public static NodeConfig from(Config root) {
        Config chat = root.get("chat");
        return new NodeConfig(
                chat.get("node.id").asString().orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8)),
                millis(chat, "engine.connecttimeout"),
                chat.get("limits.textlength").asInt().get(),
                chat.get("limits.ratepersecond").asDouble().get(),
                chat.get("limits.burst").asInt().get(),
                chat.get("limits.outboxframes").asInt().get(),
                chat.get("limits.joinmissed").asInt().get(),
                chat.get("redis.url").asString().get(),
                chat.get("redis.cluster").asString().get(),
                chat.get("redis.pool").asInt().get(),
                millis(chat, "redis.timeout"),
                chat.get("redis.replicas").asInt().get(),
                chat.get("redis.recent").asInt().get(),
                millis(chat, "recovery.window"),
                AuthSettings.from(chat.get("auth")),
                chat.get("auth.devtokens").asBoolean().get(),
                Duration.ofSeconds(chat.get("auth.devtokenttl").asLong().get()),
                chat.get("auth.devtokenadmin").asBoolean().get(),
                chat.get("kafka.bootstrap").asString().get(),
                chat.get("kafka.topics.messages").asString().get(),
                chat.get("kafka.topics.events").asString().get(),
                chat.get("kafka.partitions").asInt().get(),
                chat.get("kafka.replication").asInt().asOptional().map(Integer::shortValue),
                millis(chat, "kafka.acktimeout"),
                chat.get("kafka.properties").detach().asMap().orElse(Map.of()),
                chat.get("db.url").asString().get(),
                chat.get("db.user").asString().get(),
                chat.get("db.password").asString().get(),
                chat.get("db.poolsize").asInt().get(),
                chat.get("tracing.endpoint").asString().get(),
                chat.get("tracing.ratio").asDouble().get());
    }

    private static Duration millis(Config chat, String key) {
        return Duration.ofMillis(chat.get(key).asLong().get());
    }
}
