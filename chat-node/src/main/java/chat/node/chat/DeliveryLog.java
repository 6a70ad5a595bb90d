package chat.node.chat;

import chat.node.socketio.Connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One socket's connection, remembering which messages it was sent and which of them the client has provably read,
 * for connection state recovery. Every packet that carries an offset ({@code message}, {@code dm} and their
 * changes, {@link Offsets}) is logged, in the order it was queued, until a heartbeat the client answered confirms
 * it; then only the highest seq per room is kept. What is still unconfirmed when the connection drops is where the client's last offset falls.
 *
 * <p>A socket may hold hundreds of unconfirmed entries for a whole heartbeat (25 s), so they sit in a ring of
 * primitive arrays rather than one object each: what lives that long is copied by every young collection until
 * it is old, and a node delivering tens of thousands of packets a second would otherwise keep millions of them.
 */
final class DeliveryLog implements Connection {
    private final Connection connection;
    private final int capacity;
    private final Map<String, Long> confirmed = new HashMap<>();
    /**
     * The unconfirmed entries, oldest first from {@code first}, {@code count} of them, in a ring that grows up to
     * {@code capacity}: each entry's room (the fan-out's string, shared by every socket it went to), seq, and
     * position in the connection. Null until the first.
     */
    private String[] rooms;
    private long[] seqs;
    private long[] positions;
    private int first;
    private int count;
    private boolean complete = true;
    /** Direct messages held while a recovery replays a conversation, or null when none is under way. */
    private List<String> heldDirect;

    /**
     * @param capacity most unconfirmed messages kept; beyond it the oldest count as read, and a recovery then needs
     *                 the client's offset to be among those kept
     */
    DeliveryLog(Connection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
    }

    @Override
    public boolean send(String packet) {
        String offset = Offsets.trailing(packet);
        if (offset == null) {
            return connection.send(packet);
        }
        return sendOffset(packet, Offsets.room(offset), Offsets.seq(offset));
    }

    /** A packet of {@code room} with seq {@code seq}, as the fan-out knows it: logged if it carries that offset. */
    @Override
    public boolean send(String packet, String room, long seq) {
        return Offsets.carries(packet, room, seq) ? sendOffset(packet, room, seq) : connection.send(packet);
    }

    private synchronized boolean sendOffset(String packet, String room, long seq) {
        if (heldDirect != null && Names.isDirectRoom(room)) {
            heldDirect.add(packet);
            return true;
        }
        return sendLogged(packet, room, seq);
    }

    /** A message a recovery replays: it goes out even while direct messages are held. */
    synchronized void sendReplayed(String packet) {
        String offset = Offsets.trailing(packet);
        if (offset == null) {
            connection.send(packet);
        } else {
            sendLogged(packet, Offsets.room(offset), Offsets.seq(offset));
        }
    }

    /** Holds live direct messages from now on, until {@link #releaseDirect}. */
    synchronized void holdDirect() {
        heldDirect = new ArrayList<>();
    }

    /** Sends the held direct messages that come after {@code replayedUpTo} of their conversation, and stops holding. */
    synchronized void releaseDirect(Map<String, Long> replayedUpTo) {
        List<String> held = heldDirect;
        heldDirect = null;
        if (held == null) {
            return;
        }
        for (String packet : held) {
            String offset = Offsets.trailing(packet);
            String room = Offsets.room(offset);
            long seq = Offsets.seq(offset);
            if (seq > replayedUpTo.getOrDefault(room, -1L)) {
                sendLogged(packet, room, seq);
            }
        }
    }

    /** Queue and log in one step, so that the log's order is the queue's: a recovery relies on it. */
    private boolean sendLogged(String packet, String room, long seq) {
        if (!connection.send(packet)) {
            return false;
        }
        // Read after queueing, so it is at or after the packet's own position: at worst kept a heartbeat longer.
        long position = connection.sentCount();
        forgetConfirmed();
        if (count == capacity) {
            confirmOldest();
            complete = false;
        }
        if (rooms == null || count == rooms.length) {
            grow();
        }
        int at = (first + count) % rooms.length;
        rooms[at] = room;
        seqs[at] = seq;
        positions[at] = position;
        count++;
        return true;
    }

    private void grow() {
        int length = rooms == null ? Math.min(16, capacity) : Math.min(rooms.length * 2, capacity);
        String[] newRooms = new String[length];
        long[] newSeqs = new long[length];
        long[] newPositions = new long[length];
        for (int i = 0; i < count; i++) {
            int from = (first + i) % rooms.length;
            newRooms[i] = rooms[from];
            newSeqs[i] = seqs[from];
            newPositions[i] = positions[from];
        }
        rooms = newRooms;
        seqs = newSeqs;
        positions = newPositions;
        first = 0;
    }

    private void forgetConfirmed() {
        long received = connection.receivedCount();
        // 0: nothing is known to be read (positions start at 1).
        while (received > 0 && count > 0 && positions[first] <= received) {
            confirmOldest();
        }
    }

    private void confirmOldest() {
        confirmed.merge(rooms[first], seqs[first], Math::max);
        rooms[first] = null;
        first = (first + 1) % rooms.length;
        count--;
    }

    /** What the socket provably read, and what it was sent after that, as the connection ends. */
    synchronized Snapshot snapshot() {
        forgetConfirmed();
        List<String> tail = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (first + i) % rooms.length;
            tail.add(Offsets.of(rooms[at], seqs[at]));
        }
        return new Snapshot(Map.copyOf(confirmed), List.copyOf(tail), complete);
    }

    /** The connection it logs for. */
    Connection connection() {
        return connection;
    }

    @Override
    public void close(String reason) {
        connection.close(reason);
    }

    @Override
    public long sentCount() {
        return connection.sentCount();
    }

    @Override
    public long receivedCount() {
        return connection.receivedCount();
    }

    /**
     * @param confirmed   the highest seq per room (or conversation) the client provably read
     * @param unconfirmed the offsets sent after that, in the order they were queued
     * @param complete    false when unconfirmed offsets were dropped for capacity
     */
    record Snapshot(Map<String, Long> confirmed, List<String> unconfirmed, boolean complete) {
    }
}
