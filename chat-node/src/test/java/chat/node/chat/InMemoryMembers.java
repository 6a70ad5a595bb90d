package chat.node.chat;

import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.fanout.RoomMembers;
import chat.node.fanout.Roster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RoomMembers} in memory for unit tests of the chat logic: it decides as the Redis scripts do and publishes
 * a change's frame on the {@link InMemoryBus}.
 */
final class InMemoryMembers implements RoomMembers {
    private final RoomBus bus;
    private final Map<String, Roster> rooms = new HashMap<>();
    /** Every call, so a test can tell that public rooms never ask. */
    final AtomicInteger calls = new AtomicInteger();

    InMemoryMembers(RoomBus bus) {
        this.bus = bus;
    }

    @Override
    public synchronized Creation create(String room, String kind, String owner, Set<String> members,
                                        long createdMillis) {
        calls.incrementAndGet();
        Roster existing = rooms.get(room);
        if (existing != null) {
            return new Creation(false, existing);
        }
        Roster roster = new Roster(room, kind, owner, createdMillis, 1, members);
        rooms.put(room, roster);
        return new Creation(true, roster);
    }

    @Override
    public synchronized Change change(String room, String user, boolean add, String actor, boolean admin,
                                      BusFrame frame) {
        calls.incrementAndGet();
        Roster roster = rooms.get(room);
        if (roster == null) {
            return new Change(Outcome.UNKNOWN_ROOM, false, 0, null);
        }
        if (!"private".equals(roster.kind())) {
            return new Change(Outcome.FIXED, false, roster.version(), null);
        }
        if (!actor.equals(roster.owner()) && !admin) {
            return new Change(Outcome.NOT_OWNER, false, roster.version(), roster.owner());
        }
        if (!add && user.equals(roster.owner())) {
            return new Change(Outcome.OWNER, false, roster.version(), roster.owner());
        }
        Set<String> members = new HashSet<>(roster.members());
        boolean changed = add ? members.add(user) : members.remove(user);
        if (!changed) {
            return new Change(Outcome.DONE, false, roster.version(), roster.owner());
        }
        Roster next = new Roster(room, roster.kind(), roster.owner(), roster.created(), roster.version() + 1, members);
        rooms.put(room, next);
        bus.publish(Channels.room(room), frame);
        return new Change(Outcome.DONE, true, next.version(), roster.owner());
    }

    @Override
    public synchronized Roster roster(String room) {
        calls.incrementAndGet();
        return rooms.get(room);
    }

    @Override
    public synchronized Standing standing(String room, String user) {
        calls.incrementAndGet();
        Roster roster = rooms.get(room);
        if (roster == null) {
            return Standing.UNKNOWN_ROOM;
        }
        return roster.members().contains(user) ? Standing.MEMBER : Standing.OUTSIDER;
    }

    @Override
    public synchronized boolean restore(Roster roster) {
        calls.incrementAndGet();
        return rooms.putIfAbsent(roster.room(), roster) == null;
    }
}
