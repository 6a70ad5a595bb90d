package chat.node.fanout;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * {@link RoomBus} on Redis, one server or a cluster: Lua scripts order and publish, a channel per room and per
 * user carries events only to the nodes that have members there, and the node's subscriber receives them.
 */
public final class RedisRoomBus implements RoomBus {
    private static final long DEDUPE_SECONDS = 24 * 3600;
    private static final long RECENT_IDLE_SECONDS = 7 * 24 * 3600;
    private static final int READ_ATTEMPTS = 3;
    /** Between the room and the user of a node's presence index entry; neither name can contain it. */
    private static final char ENTRY_SEPARATOR = ' ';

    private final RedisDeployment deployment;
    private final UnifiedJedis redis;
    private final String publishCommand;
    private volatile Subscription subscription;
    private final JsonCodec codec;
    private final int recentPerRoom;
    private final ReplicatedWrites writes;
    private final RecentBuffer buffer;

    private final String nodeId;
    private volatile boolean everAlive;
    private final LuaScript publishMessage = LuaScript.load("publish-message.lua");
    private final LuaScript publishChange = LuaScript.load("publish-change.lua");
    private final LuaScript presence = LuaScript.load("presence.lua");
    private final LuaScript onlinePage = LuaScript.load("online-page.lua");
    private final LuaScript raiseSeq = LuaScript.load("raise-seq.lua");
    private final RedisReadMarkers markers;
    private final RedisRoomMembers members;

    /**
     * @param url          the one Redis server, and the scheme, user and password for a cluster's nodes
     * @param clusterSeeds {@code host:port,...} of a Redis Cluster's nodes, or empty for the one server of url
     * @param replicas     replicas that must hold a message before it counts as published ({@code WAIT}), so that a
     *                     failover cannot take back a seq that was acknowledged; 0 does not wait
     */
    public RedisRoomBus(String nodeId, String url, String clusterSeeds, int poolSize, Duration timeout, int replicas,
                        int recentPerRoom, JsonCodec codec) {
        this.nodeId = nodeId;
        this.deployment = RedisDeployment.connect(url, clusterSeeds, poolSize, timeout);
        this.redis = deployment.commands();
        this.publishCommand = deployment.sharded() ? "SPUBLISH" : "PUBLISH";
        this.codec = codec;
        this.recentPerRoom = recentPerRoom;
        this.writes = new ReplicatedWrites(deployment, replicas, timeout);
        this.markers = new RedisReadMarkers(deployment, publishCommand, RECENT_IDLE_SECONDS);
        this.members = new RedisRoomMembers(deployment, publishCommand, writes);
        this.buffer = new RecentBuffer(redis, recentPerRoom);
    }

    /** The members of private rooms and groups, on the same Redis. */
    public RoomMembers members() {
        return members;
    }

    @Override
    public void start(BusListener listener) {
        subscription = deployment.subscribe(listener);
    }

    /**
     * The script publishes on the channels in the room's slot, atomically with the seq, so they carry the room's
     * messages in seq order. On a cluster a direct message's user channels live in other slots: they get the frame
     * right after, and the receiving node puts a conversation's messages back in seq order.
     */
    @Override
    public Sequenced publishMessage(String kind, ChatMessage draft, List<String> channels, String traceparent) {
        ObjectNode node = codec.messageNode(draft);
        node.remove("seq");
        String withoutSeq = codec.write(node).substring(1);
        String seqKey = Channels.seqKey(draft.room());
        List<String> keys = roomKeys(draft.room(),
                draft.cid() == null ? null : Channels.dedupeKey(draft.room(), draft.from(), draft.cid()));
        String headAfterSeq = BusFrame.headAfterSeq(draft.ts(), traceparent, null);
        List<String> args = new ArrayList<>(7 + channels.size());
        args.add(withoutSeq);
        args.add(BusFrame.headBeforeSeq(kind));
        args.add(headAfterSeq);
        args.add(Integer.toString(recentPerRoom));
        args.add(Long.toString(DEDUPE_SECONDS));
        args.add(Long.toString(RECENT_IDLE_SECONDS));
        args.add(publishCommand);
        List<String> elsewhere = new ArrayList<>(0);
        for (String channel : channels) {
            if (deployment.inSlotOf(channel, seqKey)) {
                args.add(channel);
            } else {
                elsewhere.add(channel);
            }
        }
        List<?> reply = runAndReplicate(publishMessage, keys, args);
        long seq = (Long) reply.get(0);
        String json = (String) reply.get(1);
        if (seq == 0) {
            return new Sequenced(codec.decodeMessage(json), json, true);
        }
        if (!elsewhere.isEmpty()) {
            String frame = BusFrame.headBeforeSeq(kind) + seq + headAfterSeq + "\n" + json;
            for (String channel : elsewhere) {
                deployment.publish(channel, frame);
            }
        }
        return new Sequenced(draft.withSeq(seq), json, false);
    }

    /** The keys both publish scripts take, in the room's slot: the dedupe key last, and only when there is one. */
    private static List<String> roomKeys(String room, String dedupeKey) {
        List<String> keys = new ArrayList<>(List.of(Channels.seqKey(room), Channels.recentKey(room),
                Channels.baseKey(room), Channels.versionsKey(room), Channels.changedKey(room)));
        if (dedupeKey != null) {
            keys.add(dedupeKey);
        }
        return keys;
    }

    /**
     * Publishes a change through publish-change.lua, which joins the version's JSON around the seq it assigns (the
     * seq is the first field of the version's last object, its {@code edited} or {@code deleted} mark). Direct
     * conversations' user channels outside the room's slot get the frame right after, as for a message.
     */
    @Override
    public ChangeOutcome publishChange(String kind, MessageChange draft, String cid, List<String> channels,
                                       String traceparent) {
        String room = draft.message().room();
        String seqKey = Channels.seqKey(room);
        ObjectNode version = codec.changedNode(draft);
        ObjectNode mark = (ObjectNode) version.remove(JsonCodec.changeMark(draft.kind()));
        mark.remove("seq");
        String head = codec.write(version);
        String beforeSeq = head.substring(0, head.length() - 1) + ",\"" + JsonCodec.changeMark(draft.kind())
                + "\":{\"seq\":";
        String afterSeq = "," + codec.write(mark).substring(1) + "}";
        String headAfterSeq = BusFrame.headAfterSeq(draft.ts(), traceparent, null);
        List<String> args = new ArrayList<>(List.of(Long.toString(draft.message().seq()), kind, beforeSeq, afterSeq,
                BusFrame.headBeforeSeq(kind), headAfterSeq, Integer.toString(recentPerRoom),
                Long.toString(DEDUPE_SECONDS), Long.toString(RECENT_IDLE_SECONDS), publishCommand));
        List<String> elsewhere = new ArrayList<>(0);
        for (String channel : channels) {
            if (deployment.inSlotOf(channel, seqKey)) {
                args.add(channel);
            } else {
                elsewhere.add(channel);
            }
        }
        List<?> reply = runAndReplicate(publishChange,
                roomKeys(room, cid == null ? null : Channels.changeDedupeKey(room, draft.by(), cid)), args);
        long seq = (Long) reply.get(0);
        String json = (String) reply.get(1);
        if (seq == 0) {
            return new ChangeOutcome.Repeated(json);
        }
        if (seq < 0) {
            return new ChangeOutcome.AlreadyDeleted(json);
        }
        for (String channel : elsewhere) {
            deployment.publish(channel, BusFrame.headBeforeSeq(kind) + seq + headAfterSeq + "\n" + json);
        }
        return new ChangeOutcome.Published(seq, json);
    }

    /**
     * Runs a publish script, waiting for replicas when it published, so that a failover cannot take back the seq of
     * a message that gets acknowledged.
     */
    private List<?> runAndReplicate(LuaScript script, List<String> keys, List<String> args) {
        return (List<?>) writes.run(script, keys, args, reply -> (Long) ((List<?>) reply).get(0) > 0);
    }

    @Override
    public void publish(String channel, BusFrame frame) {
        deployment.publish(channel, frame.encode());
    }

    @Override
    public boolean presence(String room, String user, int sockets, BusFrame frame) {
        return presenceOf(nodeId, room, user, sockets, frame);
    }

    /**
     * The node's index of its entries is written before an entry is added and after it is removed, so it always
     * covers what a sweep must remove, even if the node dies between the two.
     */
    private boolean presenceOf(String node, String room, String user, int sockets, BusFrame frame) {
        String entry = room + ENTRY_SEPARATOR + user;
        if (sockets > 0) {
            retrying(() -> redis.sadd(Channels.nodePresenceKey(node), entry));
        }
        Object published = retrying(() -> presence.run(redis,
                List.of(Channels.userNodesKey(room, user), Channels.onlineKey(room), Channels.onlineSocketsKey(room)),
                List.of(node, Integer.toString(sockets), user, frame == null ? "" : Channels.room(room),
                        frame == null ? "" : frame.encode(), publishCommand)));
        if (sockets == 0) {
            retrying(() -> redis.srem(Channels.nodePresenceKey(node), entry));
        }
        return Long.valueOf(1).equals(published);
    }

    @Override
    public OnlinePage online(String room, String after, int limit) {
        // One more than asked for tells whether another page follows.
        List<?> reply = (List<?>) retrying(() -> onlinePage.run(redis,
                List.of(Channels.onlineKey(room), Channels.onlineSocketsKey(room)),
                List.of(after == null ? "-" : "(" + after, Integer.toString(limit + 1))));
        List<Online> users = new ArrayList<>(limit);
        for (int i = 1; i + 1 < reply.size() && users.size() < limit; i += 2) {
            users.add(new Online((String) reply.get(i), ((Long) reply.get(i + 1)).intValue()));
        }
        return new OnlinePage(users, reply.size() > 1 + 2 * limit, (Long) reply.get(0));
    }

    @Override
    public Map<String, Long> onlineCounts(Collection<String> rooms) {
        return retrying(() -> {
            // One round trip for all rooms (one per shard on a cluster).
            try (AbstractPipeline pipeline = redis.pipelined()) {
                Map<String, Response<Long>> counts = new LinkedHashMap<>();
                for (String room : rooms) {
                    counts.put(room, pipeline.zcard(Channels.onlineKey(room)));
                }
                pipeline.sync();
                Map<String, Long> answer = new LinkedHashMap<>();
                counts.forEach((room, count) -> answer.put(room, count.get()));
                return answer;
            }
        });
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
            if (presenceOf(deadNode, room, user, 0, leave.apply(room, user))) {
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

    /** The store of dropped sockets' sessions, on this bus's Redis. */
    public SessionStore sessions() {
        return new RedisSessionStore(redis);
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
    public void raiseSeq(String room, long atLeast) {
        retrying(() -> raiseSeq.run(redis, List.of(Channels.seqKey(room)), List.of(Long.toString(atLeast))));
    }

    @Override
    public Marker raiseReadMarker(String user, String room, long seq, List<String> channels, String frameBefore,
                                  String frameAfter) {
        return markers.raise(user, room, seq, channels, frameBefore, frameAfter);
    }

    @Override
    public UserMarkers readMarkers(String user, List<String> rooms) {
        return markers.of(user, rooms);
    }

    @Override
    public void loadReadMarkers(String user, Map<String, Long> markers) {
        this.markers.load(user, markers);
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
    static <T> T retrying(java.util.function.Supplier<T> command) {
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
    public Map<Long, String> versions(String room, Collection<Long> messageSeqs) {
        return buffer.versions(room, messageSeqs);
    }

    @Override
    public Recent findRecent(String room, String id) {
        return buffer.findRecent(room, id);
    }

    @Override
    public List<Recent> recentAfter(String room, long after, int limit) {
        return buffer.after(room, after, limit);
    }

    @Override
    public List<Recent> recentBefore(String room, Long before, int limit) {
        return buffer.before(room, before, limit);
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
        deployment.close();
    }
}
