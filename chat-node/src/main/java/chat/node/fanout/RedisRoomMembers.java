package chat.node.fanout;

import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link RoomMembers} on Redis: a hash ({@code chat:{room}:room}) and a set ({@code chat:{room}:members}) per room,
 * both in the room's slot, written by Lua scripts that check and change them in one step. A write waits for the
 * master's replicas as a message does, so that a failover cannot take back a change the archive already has.
 */
final class RedisRoomMembers implements RoomMembers {

    private final RedisDeployment deployment;
    private final UnifiedJedis redis;
    private final String publishCommand;
    private final ReplicatedWrites writes;
    private final LuaScript createRoom = LuaScript.load("create-room.lua");
    private final LuaScript changeMember = LuaScript.load("change-member.lua");
    private final LuaScript restoreRoom = LuaScript.load("restore-room.lua");

    RedisRoomMembers(RedisDeployment deployment, String publishCommand, ReplicatedWrites writes) {
        this.deployment = deployment;
        this.redis = deployment.commands();
        this.publishCommand = publishCommand;
        this.writes = writes;
    }

    @Override
    public Creation create(String room, String kind, String owner, Set<String> members, long createdMillis) {
        List<String> args = new ArrayList<>(3 + members.size());
        args.add(kind);
        args.add(owner == null ? "" : owner);
        args.add(Long.toString(createdMillis));
        args.addAll(members);
        List<?> reply = (List<?>) write(createRoom, keys(room), args, r -> number(((List<?>) r).get(0)) == 1);
        if (number(reply.get(0)) == 1) {
            return new Creation(true, new Roster(room, kind, owner, createdMillis, number(reply.get(1)), members));
        }
        return new Creation(false, new Roster(room, (String) reply.get(2), blankToNull(reply.get(3)),
                number(reply.get(4)), number(reply.get(1)), Set.of()));
    }

    @Override
    public Change change(String room, String user, boolean add, String actor, boolean admin, BusFrame frame) {
        List<String> args = List.of(user, add ? "1" : "0", actor, admin ? "1" : "0", publishCommand,
                Channels.room(room), frame.encode());
        List<?> reply = (List<?>) write(changeMember, keys(room), args, r -> number(((List<?>) r).get(1)) == 1);
        Outcome outcome = switch ((String) reply.get(0)) {
            case "done" -> Outcome.DONE;
            case "unknown" -> Outcome.UNKNOWN_ROOM;
            case "fixed" -> Outcome.FIXED;
            case "not_owner" -> Outcome.NOT_OWNER;
            case "owner" -> Outcome.OWNER;
            default -> throw new IllegalStateException("change-member.lua answered " + reply);
        };
        return new Change(outcome, number(reply.get(1)) == 1, number(reply.get(2)), blankToNull(reply.get(3)));
    }

    @Override
    public Roster roster(String room) {
        Map<String, String> fields = RedisRoomBus.retrying(() -> redis.hgetAll(Channels.roomKey(room)));
        if (fields.isEmpty()) {
            return null;
        }
        Set<String> members = RedisRoomBus.retrying(() -> redis.smembers(Channels.membersKey(room)));
        return new Roster(room, fields.get("kind"), blankToNull(fields.get("owner")),
                Long.parseLong(fields.getOrDefault("created", "0")), Long.parseLong(fields.getOrDefault("version",
                "0")), members);
    }

    @Override
    public Standing standing(String room, String user) {
        if (RedisRoomBus.retrying(() -> redis.sismember(Channels.membersKey(room), user))) {
            return Standing.MEMBER;
        }
        return RedisRoomBus.retrying(() -> redis.exists(Channels.roomKey(room))) ? Standing.OUTSIDER
                : Standing.UNKNOWN_ROOM;
    }

    @Override
    public boolean restore(Roster roster) {
        List<String> args = new ArrayList<>(4 + roster.members().size());
        args.add(roster.kind());
        args.add(roster.owner() == null ? "" : roster.owner());
        args.add(Long.toString(roster.created()));
        args.add(Long.toString(roster.version()));
        args.addAll(roster.members());
        return number(write(restoreRoom, keys(roster.room()), args, r -> number(r) == 1)) == 1;
    }

    private static List<String> keys(String room) {
        return List.of(Channels.roomKey(room), Channels.membersKey(room));
    }

    /** Runs a writing script on the room's master, waiting for its replicas when it wrote. */
    private Object write(LuaScript script, List<String> keys, List<String> args, Predicate<Object> wrote) {
        return writes.run(script, keys, args, wrote);
    }

    private static long number(Object value) {
        return value instanceof Long n ? n : Long.parseLong(String.valueOf(value));
    }

    private static String blankToNull(Object value) {
        return value == null || "".equals(value) ? null : value.toString();
    }
}
