package chat.node.cluster;

import chat.node.support.RedisClusterFixture;

import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;

import java.util.Map;

/**
 * Who is online on a Redis Cluster of three masters: a room's presence list, its sockets and its events share the
 * room's slot, so the specification of {@link OnlineAcrossNodesTest} holds there unchanged.
 */
class RedisClusterOnlineTest extends OnlineAcrossNodesTest {
    private final RedisClusterFixture redis = RedisClusterFixture.start();

    @Override
    Map<String, String> redisSettings() {
        return redis.nodeSettings();
    }

    @Override
    Jedis redisHolding(String key) {
        return new Jedis("127.0.0.1", redis.redis().masterPortOf(key));
    }

    @Override
    @AfterAll
    void stopCluster() {
        super.stopCluster();
        redis.close();
    }
}
