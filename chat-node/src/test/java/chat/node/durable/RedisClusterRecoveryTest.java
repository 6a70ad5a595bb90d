package chat.node.durable;

import chat.node.support.RedisClusterFixture;

import org.junit.jupiter.api.AfterAll;

import java.util.Map;

/** Reconnect recovery with {@code since}, from the recent buffers of a Redis Cluster's shards. */
class RedisClusterRecoveryTest extends RecoveryTest {
    private final RedisClusterFixture redis = RedisClusterFixture.start();

    @Override
    Map<String, String> redisSettings() {
        return redis.nodeSettings();
    }

    @Override
    @AfterAll
    void stopCluster() {
        super.stopCluster();
        redis.close();
    }
}
