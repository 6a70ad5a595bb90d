package chat.node.fanout;

import chat.common.ChatMessage;
import chat.common.JsonCodec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * {@link RoomBus} on Redis: Lua scripts order and publish, a channel per room and per user carries events only to
 * the nodes that have members there, and one subscriber connection per node receives them.
 */
public final class RedisRoomBus implements RoomBus {
    private static final long DEDUPE_SECONDS = 24 * 3600;
    private static final long RECENT_IDLE_SECONDS = 7 * 24 * 3600;
    private static final int READ_ATTEMPTS = 3;

    private final JedisPooled redis;
    private final URI uri;
    private final DefaultJedisClientConfig clientConfig;
    private volatile RedisSubscription subscription;
    private final JsonCodec codec;
    private final int recentPerRoom;
    /** Between the room and the user of a node's presence index entry; neither name can contain it. */
    private static final char ENTRY_SEPARATOR = ' ';

    private final String nodeId;
    private volatile boolean everAlive;
    private final LuaScript publishMessage = LuaScript.load("publish-message.lua");
    private final LuaScript presence = LuaScript.load("presence.lua");

    public RedisRoomBus(String nodeId, String url, int poolSize, Duration timeout, int recentPerRoom,
                        JsonCodec codec) {
        this.nodeId = nodeId;
        this.uri = URI.create(url);
        this.clientConfig = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .clientName("chat-node")
                .build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(timeout);
        // Evict idle connections that died with a Redis restart before a caller borrows them.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        pool.setNumTestsPerEvictionRun(-1);
        this.redis = new JedisPooled(pool, new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()),
                clientConfig);
        this.codec = codec;
        this.recentPerRoom = recentPerRoom;
    }

    @Override
    public void start(BusListener listener) {
        subscription = new RedisSubscription(uri, clientConfig, listener);
    }

    @Override
    public Sequenced publishMessage(String kind, ChatMessage draft, List<String> channels, String traceparent) {
        ObjectNode node = codec.messageNode(draft);
        node.remove("seq");
        String withoutSeq = codec.write(node).substring(1);
        String dedupe = draft.cid() == null ? "" : Channels.dedupeKey(draft.from(), draft.cid());
        List<String> keys = List.of(Channels.seqKey(draft.room()), Channels.recentKey(draft.room()), dedupe,
                Channels.baseKey(draft.room()));
        List<String> args = new ArrayList<>(6 + channels.size());
        args.add(withoutSeq);
        args.add(BusFrame.headBeforeSeq(kind));
        args.add(BusFrame.headAfterSeq(draft.ts(), traceparent, null));
        args.add(Integer.toString(recentPerRoom));
        args.add(Long.toString(DEDUPE_SECONDS));
        args.add(Long.toString(RECENT_IDLE_SECONDS));
        args.addAll(channels);
        List<?> reply = (List<?>) publishMessage.run(redis, keys, args);
        long seq = (Long) reply.get(0);
        String json = (String) reply.get(1);
        if (seq == 0) {
            return new Sequenced(codec.decodeMessage(json), json, true);
        }
        return new Sequenced(draft.withSeq(seq), json, false);
    }

    @Override
    public void publish(String channel, BusFrame frame) {
        redis.publish(channel, frame.encode());
    }

    @Override
    public boolean presence(String room, String user, boolean joined, BusFrame frame) {
        return presenceOf(nodeId, room, user, joined, frame);
    }

    /**
     * The node's index of its entries is written before an entry is added and after it is removed, so it always
     * covers what a sweep must remove, even if the node dies between the two.
     */
    private boolean presenceOf(String node, String room, String user, boolean joined, BusFrame frame) {
        String entry = room + ENTRY_SEPARATOR + user;
        if (joined) {
            retrying(() -> redis.sadd(Channels.nodePresenceKey(node), entry));
        }
        Object published = retrying(() -> presence.run(redis, List.of(Channels.presenceKey(room, user)),
                List.of(node, joined ? "1" : "0", frame == null ? "" : Channels.room(room),
                        frame == null ? "" : frame.encode())));
        if (!joined) {
            retrying(() -> redis.srem(Channels.nodePresenceKey(node), entry));
        }
        return Long.valueOf(1).equals(published);
    }

    @Override
    public boolean heartbeat(Duration ttl) {
        boolean forgotten = retrying(() -> redis.sadd(Channels.NODES, nodeId)) == 1 && everAlive;
        retrying(() -> redis.set(Channels.aliveKey(nodeId), "1", SetParams.setParams().px(ttl.toMillis())));
        everAlive = true;
        return forgotten;
    }

    @Override
    public List<String> deadNodes() {
        List<String> dead = new ArrayList<>();
        for (String node : retrying(() -> redis.smembers(Channels.NODES))) {
            if (!node.equals(nodeId) && !retrying(() -> redis.exists(Channels.aliveKey(node)))) {
                dead.add(node);
            }
        }
        return dead;
    }

    @Override
    public int sweep(String deadNode, BiFunction<String, String, BusFrame> leave) {
        int left = 0;
        for (String entry : retrying(() -> redis.smembers(Channels.nodePresenceKey(deadNode)))) {
            int separator = entry.indexOf(ENTRY_SEPARATOR);
            String room = entry.substring(0, separator);
            String user = entry.substring(separator + 1);
            if (presenceOf(deadNode, room, user, false, leave.apply(room, user))) {
                left++;
            }
        }
        retrying(() -> redis.srem(Channels.NODES, deadNode));
        return left;
    }

    @Override
    public void retire(BiFunction<String, String, BusFrame> leave) {
        sweep(nodeId, leave);
        retrying(() -> redis.del(Channels.aliveKey(nodeId), Channels.nodePresenceKey(nodeId)));
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return subscription.subscribe(channel);
    }

    @Override
    public void unsubscribe(String channel) {
        subscription.unsubscribe(channel);
    }

    @Override
    public long latestSeq(String room) {
        String value = retrying(() -> redis.get(Channels.seqKey(room)));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public long sequenceBase(String room) {
        String value = retrying(() -> redis.get(Channels.baseKey(room)));
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * Runs an idempotent command, retrying on a broken connection: after a Redis restart the pool may hand out a
     * few dead connections before eviction finds them.
     */
    private static <T> T retrying(java.util.function.Supplier<T> command) {
        JedisConnectionException last = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            try {
                return command.get();
            } catch (JedisConnectionException e) {
                last = e;
            }
        }
        throw last;
    }

    @Override
    public List<Recent> recentAfter(String room, long after, int limit) {
        List<StreamEntry> entries = retrying(() -> redis.xrange(Channels.recentKey(room),
                new StreamEntryID(after, 1), StreamEntryID.MAXIMUM_ID, limit));
        List<Recent> recent = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            recent.add(new Recent(entry.getID().getTime(), entry.getFields().get("m")));
        }
        return recent;
    }

    @Override
    public List<Recent> recentBefore(String room, Long before, int limit) {
        if (before != null && before <= 1) {
            return List.of();
        }
        StreamEntryID end = before == null ? StreamEntryID.MAXIMUM_ID : new StreamEntryID(before - 1, 0);
        List<StreamEntry> entries = retrying(() -> redis.xrevrange(Channels.recentKey(room), end,
                StreamEntryID.MINIMUM_ID, limit));
        List<Recent> recent = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            recent.add(new Recent(entry.getID().getTime(), entry.getFields().get("m")));
        }
        return recent;
    }

    @Override
    public boolean connected() {
        return subscription != null && subscription.connected();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        redis.close();
    }
}
