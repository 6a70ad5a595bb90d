package chat.node.fanout;

import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Users' read markers on Redis: one hash per user (room to seq) in the slot of the user's channel, raised by a script
 * that publishes the marker where it moved. Redis holds them while they are in use; the archive holds them for good,
 * and its markers are merged in when a user's hash lacks them.
 */
final class RedisReadMarkers {
    /** The field that says the archive's markers were merged in; never a room name, which has no '#'. */
    private static final String LOADED = "#loaded";

    private final RedisDeployment deployment;
    private final UnifiedJedis redis;
    private final String publishCommand;
    private final String idleSeconds;
    private final LuaScript raise = LuaScript.load("raise-read-marker.lua");
    private final LuaScript load = LuaScript.load("load-read-markers.lua");

    /**
     * @param publishCommand {@code PUBLISH}, or {@code SPUBLISH} on a cluster
     * @param idleSeconds    how long a user's hash stays unused before Redis drops it
     */
    RedisReadMarkers(RedisDeployment deployment, String publishCommand, long idleSeconds) {
        this.deployment = deployment;
        this.redis = deployment.commands();
        this.publishCommand = publishCommand;
        this.idleSeconds = Long.toString(idleSeconds);
    }

    /**
     * The script publishes on the channels in the user's slot atomically with the move; on a cluster the other
     * user's channel of a direct conversation lives elsewhere and gets the frame right after.
     */
    RoomBus.Marker raise(String user, String room, long seq, List<String> channels, String frameBefore,
                         String frameAfter) {
        String key = Channels.readKey(user);
        List<String> args = new ArrayList<>(6 + channels.size());
        args.add(room);
        args.add(Long.toString(seq));
        args.add(idleSeconds);
        args.add(frameBefore);
        args.add(frameAfter);
        args.add(publishCommand);
        List<String> elsewhere = new ArrayList<>(0);
        for (String channel : channels) {
            if (deployment.inSlotOf(channel, key)) {
                args.add(channel);
            } else {
                elsewhere.add(channel);
            }
        }
        // Safe to retry: a repeat of a script that ran finds the marker raised, and publishes nothing.
        List<?> reply = (List<?>) RedisRoomBus.retrying(() -> raise.run(redis, List.of(key), args));
        RoomBus.Marker marker = new RoomBus.Marker(Long.parseLong((String) reply.get(0)), (Long) reply.get(1) == 1);
        if (marker.moved()) {
            for (String channel : elsewhere) {
                deployment.publish(channel, frameBefore + marker.seq() + frameAfter);
            }
        }
        return marker;
    }

    RoomBus.UserMarkers of(String user, List<String> rooms) {
        String[] fields = new String[rooms.size() + 1];
        fields[0] = LOADED;
        for (int i = 0; i < rooms.size(); i++) {
            fields[i + 1] = rooms.get(i);
        }
        List<String> values = RedisRoomBus.retrying(() -> redis.hmget(Channels.readKey(user), fields));
        Map<String, Long> seqs = new HashMap<>();
        for (int i = 0; i < rooms.size(); i++) {
            String value = values.get(i + 1);
            seqs.put(rooms.get(i), value == null ? 0 : Long.parseLong(value));
        }
        return new RoomBus.UserMarkers(seqs, values.getFirst() != null);
    }

    void load(String user, Map<String, Long> markers) {
        List<String> args = new ArrayList<>(1 + 2 * markers.size());
        args.add(idleSeconds);
        markers.forEach((room, seq) -> {
            args.add(room);
            args.add(Long.toString(seq));
        });
        RedisRoomBus.retrying(() -> load.run(redis, List.of(Channels.readKey(user)), args));
    }
}
