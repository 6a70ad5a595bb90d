package chat.node.chat;

import chat.node.socketio.Connection;

import java.util.ArrayList;
import java.util.List;

/**
 * One socket's view of one joined room. Until the join is acknowledged, live frames are held; then only frames
 * with a {@code seq} above the one the join reported pass, so the join's {@code missed} list and the live stream
 * neither overlap nor leave a gap.
 */
final class RoomFeed {
    private static final long PENDING = -1;

    private final List<Held> held = new ArrayList<>();
    private long floor = PENDING;

    /**
     * Passes a live frame of {@code room} on, holds it, or drops it as already covered by the join's answer. A
     * frame with a seq carries the offset {@code room:seq} when recovery is on.
     */
    synchronized void offer(String room, long seq, String frame, Connection outbox) {
        if (floor == PENDING) {
            held.add(new Held(seq, frame));
        } else if (seq == 0) {
            outbox.send(frame);
        } else if (seq > floor) {
            outbox.send(frame, room, seq);
        }
    }

    /** The seq the join reported, below which the socket has the room's messages; -1 until the join is answered. */
    synchronized long floor() {
        return floor;
    }

    /** Queues the join's ack (if one was asked for), then the held frames it does not cover, and opens the feed. */
    synchronized void open(long latestSeq, String ackFrame, Connection outbox) {
        if (ackFrame != null) {
            outbox.send(ackFrame);
        }
        floor = latestSeq;
        for (Held frame : held) {
            if (frame.seq == 0 || frame.seq > floor) {
                outbox.send(frame.frame);
            }
        }
        held.clear();
    }

    private record Held(long seq, String frame) {
    }
}
