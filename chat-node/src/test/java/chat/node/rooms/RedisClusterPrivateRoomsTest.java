package chat.node.rooms;

import chat.node.support.RedisClusterFixture;

import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;

import java.util.Map;

/** The private rooms and groups specification on a Redis Cluster of three masters, each room in its own slot. */
class RedisClusterPrivateRoomsTest extends PrivateRoomsTest {
    private final RedisClusterFixture redis = RedisClusterFixture.start();

    @Override
    Map<String, String> redisSettings() {
        return redis.nodeSettings();
    }

    @Override
    void flushRedis() {
        for (int port : redis.redis().masterPorts()) {
            try (Jedis master = new Jedis("127.0.0.1", port)) {
                master.flushAll();
            }
        }
    }

    @Override
    @AfterAll
    void stopCluster() {
        super.stopCluster();
        redis.close();
    }
}
