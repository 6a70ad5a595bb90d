package chat.node.fanout;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writing scripts on the master that owns their first key, each followed, when it wrote, by {@code WAIT} on the same
 * connection for as many replicas as that master has (up to the configured number), so that a failover cannot take
 * back what a client was told is done. A script whose slot just moved is sent once more, where the renewed slot map
 * says (a {@code MOVED} answer means nothing ran).
 */
final class ReplicatedWrites {
    private static final CommandObjects COMMANDS = new CommandObjects();

    private final RedisDeployment deployment;
    private final int replicas;
    private final Duration timeout;
    private final Replicas attached = new Replicas();

    /**
     * @param replicas replicas that must hold a write before it counts as done; 0 does not wait
     * @param timeout  how long the replicas may take
     */
    ReplicatedWrites(RedisDeployment deployment, int replicas, Duration timeout) {
        this.deployment = deployment;
        this.replicas = replicas;
        this.timeout = timeout;
    }

    /** @param wrote whether the script's reply says it changed something, which only then waits for replicas */
    Object run(LuaScript script, List<String> keys, List<String> args, Predicate<Object> wrote) {
        try {
            return runOnce(script, keys, args, wrote);
        } catch (JedisMovedDataException moved) {
            return runOnce(script, keys, args, wrote);
        }
    }

    private Object runOnce(LuaScript script, List<String> keys, List<String> args, Predicate<Object> wrote) {
        String key = keys.getFirst();
        HostAndPort master = replicas == 0 ? null : deployment.serverFor(key);
        try (Connection connection = deployment.connectionFor(key)) {
            Object reply = script.run(connection, keys, args);
            int wanted = master == null ? 0 : Math.min(replicas, attached.of(master, connection));
            if (wanted > 0 && wrote.test(reply)) {
                long acknowledged = connection.executeCommand(COMMANDS.waitReplicas(wanted, timeout.toMillis()));
                if (acknowledged < wanted) {
                    attached.forget(master);
                    throw new JedisException(acknowledged + " of " + wanted + " Redis replicas acknowledged the "
                            + "write within " + timeout.toMillis() + " ms");
                }
            }
            return reply;
        } catch (JedisException e) {
            deployment.refresh();
            throw e;
        }
    }
}
