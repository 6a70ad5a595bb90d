package chat.node.support;

import chat.stack.RedisCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A Redis Cluster of three masters with a replica each, on free ports, for one test class, and the node settings
 * that point chat nodes at it: sharded pub/sub, and an ack only once a replica holds the message.
 */
public final class RedisClusterFixture implements AutoCloseable {
    private final RedisCluster redis;

    private RedisClusterFixture(RedisCluster redis) {
        this.redis = redis;
    }

    public static RedisClusterFixture start() {
        try {
            return new RedisClusterFixture(RedisCluster.start(Files.createTempDirectory("redis-cluster")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RedisCluster redis() {
        return redis;
    }

    public Map<String, String> nodeSettings() {
        return Map.of("chat.redis.cluster", redis.seeds(), "chat.redis.replicas", "1");
    }

    @Override
    public void close() {
        redis.close();
    }
}
