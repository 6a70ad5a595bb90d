package chat.node.fanout;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many replicas each master has attached now, read with {@code ROLE} at most once a second per master. A
 * message waits for the replicas that exist, up to the configured number: after a failover the promoted master has
 * none until an operator attaches one, and its rooms must stay writable meanwhile.
 */
final class Replicas {
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final Map<HostAndPort, Known> known = new ConcurrentHashMap<>();

    /** The replicas of the master behind {@code connection}, from the cache or read on that connection. */
    int of(HostAndPort master, Connection connection) {
        Known cached = known.get(master);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < FRESH_NANOS) {
            return cached.count();
        }
        int count = attached(connection.executeCommand(Protocol.Command.ROLE));
        known.put(master, new Known(count, now));
        return count;
    }

    /** A wait fell short: read the master's replicas again on the next message. */
    void forget(HostAndPort master) {
        known.remove(master);
    }

    /** {@code ROLE} of a master is {@code ["master", offset, [[ip, port, offset], ...]]}; anything else has none. */
    private static int attached(Object role) {
        if (role instanceof List<?> fields && fields.size() >= 3 && fields.get(2) instanceof List<?> replicas
                && "master".equals(text(fields.get(0)))) {
            return replicas.size();
        }
        return 0;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    private record Known(int count, long readAt) {
    }
}
