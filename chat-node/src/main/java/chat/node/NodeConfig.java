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
        int redisPoolSize,
        Duration redisTimeout,
        int recentPerRoom,
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

    /** Reads the node's settings from the root configuration. */
    public static NodeConfig from(Config root) {
        Config chat = root.get("chat");
        return new NodeConfig(
                chat.get("node.id").asString().orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8)),
                millis(chat, "engine.connecttimeout", 45_000),
                chat.get("limits.textlength").asInt().orElse(4000),
                chat.get("limits.ratepersecond").asDouble().orElse(20d),
                chat.get("limits.burst").asInt().orElse(40),
                chat.get("limits.outboxframes").asInt().orElse(1024),
                chat.get("limits.joinmissed").asInt().orElse(500),
                chat.get("redis.url").asString().orElse("redis://127.0.0.1:6379"),
                chat.get("redis.pool").asInt().orElse(64),
                millis(chat, "redis.timeout", 2000),
                chat.get("redis.recent").asInt().orElse(10_000),
                AuthSettings.from(chat.get("auth")),
                chat.get("auth.devtokens").asBoolean().orElse(false),
                Duration.ofSeconds(chat.get("auth.devtokenttl").asLong().orElse(86_400L)),
                chat.get("auth.devtokenadmin").asBoolean().orElse(false),
                chat.get("kafka.bootstrap").asString().orElse("127.0.0.1:9092"),
                chat.get("kafka.topics.messages").asString().orElse("chat.messages"),
                chat.get("kafka.topics.events").asString().orElse("chat.events"),
                chat.get("kafka.partitions").asInt().orElse(12),
                chat.get("kafka.replication").asInt().asOptional().map(Integer::shortValue),
                millis(chat, "kafka.acktimeout", 5000),
                chat.get("kafka.properties").detach().asMap().orElse(Map.of()),
                chat.get("db.url").asString().orElse(""),
                chat.get("db.user").asString().orElse("postgres"),
                chat.get("db.password").asString().orElse(""),
                chat.get("db.poolsize").asInt().orElse(8),
                chat.get("tracing.endpoint").asString().orElse(""),
                chat.get("tracing.ratio").asDouble().orElse(0.1));
    }

    private static Duration millis(Config chat, String key, long defaultMillis) {
        return Duration.ofMillis(chat.get(key).asLong().orElse(defaultMillis));
    }
}
