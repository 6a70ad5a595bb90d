package chat.node.chat;

import chat.common.JsonCodec;
import chat.node.fanout.BusFrame;
import chat.node.fanout.RoomBus;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * This node's part of room presence: tells the bus how many sockets each user has in each room here, with the
 * {@code presence} event (PROTOCOL.md §6) the bus publishes when that makes a user arrive in a room or leave it.
 * Updates of one (room, user) run one at a time and each reads the hub's count as it runs, so whatever order the
 * joins and leaves of a user's sockets come in, the last count the bus gets is the current one.
 */
public final class Presence {
    /** Locks for (room, user) pairs by hash: few enough to cost nothing, enough that unrelated pairs rarely wait. */
    private static final int STRIPES = 256;

    private final RoomBus bus;
    private final Hub hub;
    private final JsonCodec codec;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public Presence(RoomBus bus, Hub hub, JsonCodec codec) {
        this.bus = bus;
        this.hub = hub;
        this.codec = codec;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Tells the bus the user's sockets in the room on this node, after one of them joined or left; the bus announces
     * the user when this node is their first in the room, or their last and has none left.
     */
    void update(String room, String user) {
        report(room, user, true);
    }

    /**
     * Tells the bus again of every local member of the rooms that {@code rooms} accepts.
     *
     * @param announce true after this node was given up for dead, whose users the others announced gone: those
     *                 the bus no longer has are announced again; false after Redis lost its data, when nobody was
     *                 told that anyone left: they are counted back silently
     */
    void register(Predicate<String> rooms, boolean announce) {
        for (Map.Entry<String, String> member : hub.presentUsers()) {
            if (rooms.test(member.getKey())) {
                report(member.getKey(), member.getValue(), announce);
            }
        }
    }

    private void report(String room, String user, boolean announce) {
        ReentrantLock lock = stripes[Math.floorMod(Objects.hash(room, user), STRIPES)];
        lock.lock();
        try {
            int sockets = hub.socketsIn(room, user);
            bus.presence(room, user, sockets, announce ? frame(room, user, sockets > 0 ? "join" : "leave") : null);
        } finally {
            lock.unlock();
        }
    }

    /** {@code what} is {@code join} or {@code leave}. */
    BusFrame frame(String room, String user, String what) {
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("room", room);
        payload.put("user", user);
        payload.put("event", what);
        return new BusFrame(ChatEvent.PRESENCE.wire(), 0, System.currentTimeMillis(), null, user,
                codec.write(payload));
    }
}
