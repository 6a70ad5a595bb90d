package chat.node.chat;

import chat.node.socketio.Connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One socket's connection, remembering which messages it was sent and which of them the client has provably read,
 * for connection state recovery. Every packet that carries an offset ({@code message}, {@code dm} and their
 * changes, {@link Offsets}) is logged, in the order it was queued, until a heartbeat the client answered confirms
 * it; then only the highest seq per room is kept. What is still unconfirmed when the connection drops is where the client's last offset falls.
 */
final class DeliveryLog implements Connection {
    private final Connection connection;
    private final int capacity;
    private final Map<String, Long> confirmed = new HashMap<>();
    private ArrayDeque<Sent> unconfirmed;
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
        synchronized (this) {
            if (heldDirect != null && Names.isDirectRoom(Offsets.room(offset))) {
                heldDirect.add(packet);
                return true;
            }
            return sendLogged(packet, offset);
        }
    }

    /** A message a recovery replays: it goes out even while direct messages are held. */
    synchronized void sendReplayed(String packet) {
        String offset = Offsets.trailing(packet);
        if (offset == null) {
            connection.send(packet);
        } else {
            sendLogged(packet, offset);
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
            if (Offsets.seq(offset) > replayedUpTo.getOrDefault(Offsets.room(offset), -1L)) {
                sendLogged(packet, offset);
            }
        }
    }

    /** Queue and log in one step, so that the log's order is the queue's: a recovery relies on it. */
    private boolean sendLogged(String packet, String offset) {
        if (!connection.send(packet)) {
            return false;
        }
        if (unconfirmed == null) {
            unconfirmed = new ArrayDeque<>();
        }
        // Read after queueing, so it is at or after the packet's own position: at worst kept a heartbeat longer.
        unconfirmed.add(new Sent(offset, connection.sentCount()));
        forgetConfirmed();
        if (unconfirmed.size() > capacity) {
            confirm(unconfirmed.poll());
            complete = false;
        }
        return true;
    }

    private void forgetConfirmed() {
        long received = connection.receivedCount();
        // 0: nothing is known to be read (positions start at 1).
        while (received > 0 && unconfirmed != null && !unconfirmed.isEmpty()
                && unconfirmed.peek().position() <= received) {
            confirm(unconfirmed.poll());
        }
    }

    private void confirm(Sent sent) {
        confirmed.merge(Offsets.room(sent.offset()), Offsets.seq(sent.offset()), Math::max);
    }

    /** What the socket provably read, and what it was sent after that, as the connection ends. */
    synchronized Snapshot snapshot() {
        forgetConfirmed();
        List<String> tail = unconfirmed == null ? List.of()
                : unconfirmed.stream().map(Sent::offset).toList();
        return new Snapshot(Map.copyOf(confirmed), tail, complete);
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

    private record Sent(String offset, long position) {
    }
}
