package chat.node.fanout;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the node's Redis is: one server, or a Redis Cluster whose shards each own part of the rooms. The bus
 * talks to either through this, so that nothing above it knows which.
 */
sealed interface RedisDeployment extends AutoCloseable permits SingleRedis, ClusteredRedis {

    /** Commands routed to the server that owns their keys. */
    UnifiedJedis commands();

    /**
     * A connection of the pool to the server that owns {@code key}, for commands that must share one: a script and
     * the {@code WAIT} for its replicas. Closing it returns it to the pool.
     */
    Connection connectionFor(String key);

    /** The server that owns {@code key} as far as this node knows. */
    HostAndPort serverFor(String key);

    /** Publishes outside a script: {@code SPUBLISH} on a cluster, where channels are shard channels. */
    void publish(String channel, String frame);

    /** Reads where keys live again, after a command failed because a server went away or a slot moved. */
    void refresh();

    /** Starts the node's subscriber, which delivers to {@code listener}. */
    Subscription subscribe(BusListener listener);

    /** Whether channels are shard channels ({@code SPUBLISH}/{@code SSUBSCRIBE}), as on a cluster. */
    boolean sharded();

    /** Whether a script may publish on {@code channel}: on a cluster only channels in its keys' slot. */
    boolean inSlotOf(String channel, String key);

    @Override
    void close();

    /**
     * Connects to the cluster named by {@code clusterSeeds} ({@code host:port,host:port,...}), or to the one server
     * of {@code url} when there are none. The scheme ({@code rediss} for TLS), user and password of {@code url}
     * apply to a cluster's nodes too.
     */
    static RedisDeployment connect(String url, String clusterSeeds, int poolSize, Duration timeout) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .clientName("chat-node");
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(timeout);
        // Evict idle connections that died with a Redis restart before a caller borrows them.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        pool.setNumTestsPerEvictionRun(-1);
        if (clusterSeeds == null || clusterSeeds.isBlank()) {
            HostAndPort server = new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            return new SingleRedis(server, config.database(JedisURIHelper.getDBIndex(uri)).build(), pool);
        }
        return new ClusteredRedis(seeds(clusterSeeds), config.build(), pool, timeout);
    }

    private static Set<HostAndPort> seeds(String clusterSeeds) {
        Set<HostAndPort> seeds = new LinkedHashSet<>();
        for (String seed : Arrays.stream(clusterSeeds.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList()) {
            try {
                seeds.add(HostAndPort.from(seed));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("chat.redis.cluster: '" + seed + "' is not host:port", e);
            }
        }
        return seeds;
    }
}
