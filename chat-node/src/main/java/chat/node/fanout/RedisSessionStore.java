package chat.node.fanout;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;

/**
 * {@link SessionStore} on the bus's Redis. The user is part of the key, so a pid presented with another user's
 * token finds nothing, and leaves the owner's session in place; {@code GETDEL} takes a session once.
 */
final class RedisSessionStore implements SessionStore {
    private final UnifiedJedis redis;

    RedisSessionStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    public void save(String user, String pid, String state, Duration ttl) {
        redis.set(Channels.sessionKey(user, pid), state, SetParams.setParams().px(ttl.toMillis()));
    }

    @Override
    public String take(String user, String pid) {
        return redis.getDel(Channels.sessionKey(user, pid));
    }
}
