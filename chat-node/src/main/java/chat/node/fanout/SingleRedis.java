package chat.node.fanout;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/** One Redis server: every room on it, classic pub/sub. */
final class SingleRedis implements RedisDeployment {
    private final HostAndPort server;
    private final DefaultJedisClientConfig config;
    private final PooledConnectionProvider connections;
    private final UnifiedJedis commands;

    SingleRedis(HostAndPort server, DefaultJedisClientConfig config, GenericObjectPoolConfig<Connection> pool) {
        this.server = server;
        this.config = config;
        this.connections = new PooledConnectionProvider(server, config, pool);
        this.commands = new UnifiedJedis(connections);
    }

    @Override
    public UnifiedJedis commands() {
        return commands;
    }

    @Override
    public Connection connectionFor(String key) {
        return connections.getConnection();
    }

    @Override
    public void publish(String channel, String frame) {
        commands.publish(channel, frame);
    }

    @Override
    public void refresh() {
        // One server: nothing moves.
    }

    @Override
    public HostAndPort serverFor(String key) {
        return server;
    }

    @Override
    public Subscription subscribe(BusListener listener) {
        return new RedisSubscription(server, config, listener);
    }

    @Override
    public boolean sharded() {
        return false;
    }

    @Override
    public boolean inSlotOf(String channel, String key) {
        return true;
    }

    @Override
    public void close() {
        commands.close();
    }
}
