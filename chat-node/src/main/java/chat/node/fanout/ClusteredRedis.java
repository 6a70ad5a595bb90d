package chat.node.fanout;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.Set;

/**
 * A Redis Cluster: each room lives on the shard that owns its hash tag's slot, and its events go through that
 * shard's sharded pub/sub only. The slot map is read from the seeds at start and again whenever a command or a
 * subscription finds it stale (a failover or a slot migration).
 */
final class ClusteredRedis implements RedisDeployment {
    /** Attempts per command through MOVED redirections and failovers, within the command's time budget. */
    private static final int MAX_ATTEMPTS = 5;

    private final ClusterConnectionProvider connections;
    private final DefaultJedisClientConfig config;
    private final JedisCluster commands;

    ClusteredRedis(Set<HostAndPort> seeds, DefaultJedisClientConfig config, GenericObjectPoolConfig<Connection> pool,
                   Duration timeout) {
        this.config = config;
        try {
            this.connections = new ClusterConnectionProvider(seeds, config, pool);
        } catch (JedisException e) {
            throw new IllegalStateException("no node of the Redis Cluster at " + seeds + " answered CLUSTER SLOTS: "
                    + e.getMessage(), e);
        }
        this.commands = new JedisCluster(connections, MAX_ATTEMPTS, timeout.multipliedBy(2));
    }

    @Override
    public UnifiedJedis commands() {
        return commands;
    }

    @Override
    public Connection connectionFor(String key) {
        try {
            return connections.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        } catch (JedisException e) {
            refresh();
            throw e;
        }
    }

    @Override
    public void publish(String channel, String frame) {
        commands.spublish(channel, frame);
    }

    @Override
    public void refresh() {
        try {
            connections.renewSlotCache();
        } catch (JedisException ignored) {
            // No node answered now; the next command or subscription repair tries again.
        }
    }

    @Override
    public HostAndPort serverFor(String key) {
        return connections.getNode(JedisClusterCRC16.getSlot(key));
    }

    @Override
    public Subscription subscribe(BusListener listener) {
        return new ShardedSubscription(connections, config, listener);
    }

    @Override
    public boolean sharded() {
        return true;
    }

    @Override
    public boolean inSlotOf(String channel, String key) {
        return JedisClusterCRC16.getSlot(channel) == JedisClusterCRC16.getSlot(key);
    }

    @Override
    public void close() {
        commands.close();
    }
}
