package chat.loadtest.measure;

import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;

/**
 * One user's view of its room's stream: which sequence numbers arrived, in which order. Sequence numbers are
 * compared, never assumed contiguous: a room's first message jumps from the join's {@code seq} of 0 to the
 * cluster's clock.
 */
final class Receiver {

    private final String room;
    private final long joinSeq;
    private final Set<Long> seen = new HashSet<>();
    private long lastSeq;
    private long deliveries;
    private long duplicates;
    private long outOfOrder;
    private long outOfRange;

    Receiver(String room, long joinSeq) {
        this.room = room;
        this.joinSeq = joinSeq;
        this.lastSeq = joinSeq;
    }

    String room() {
        return room;
    }

    synchronized void receive(long seq) {
        deliveries++;
        if (seq <= joinSeq) {
            outOfRange++;
            return;
        }
        if (!seen.add(seq)) {
            duplicates++;
            return;
        }
        if (seq < lastSeq) {
            outOfOrder++;
        } else {
            lastSeq = seq;
        }
    }

    /** Of the room's acknowledged messages sent after this user joined, how many it should have and has. */
    synchronized long[] expectedAndReceived(NavigableSet<Long> acked) {
        long expected = 0;
        long received = 0;
        for (long seq : acked.tailSet(joinSeq, false)) {
            expected++;
            if (seen.contains(seq)) {
                received++;
            }
        }
        return new long[] {expected, received};
    }

    synchronized long deliveries() {
        return deliveries;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long outOfRange() {
        return outOfRange;
    }
}
