package chat.loadtest.measure;

import java.util.Arrays;

/**
 * One user's view of its room's stream: which sequence numbers arrived, in which order. Sequence numbers are
 * compared, never assumed contiguous: a room's first message jumps from the join's {@code seq} of 0 to the
 * cluster's clock.
 *
 * <p>The numbers are kept sorted in a primitive array: in the usual case each delivery is larger than all before
 * it and is appended, so a delivery costs no allocation and no boxing; a late one is found by binary search.
 */
public final class Receiver {

    private static final int INITIAL_CAPACITY = 64;

    private final String room;
    private final long joinSeq;
    private long[] seen = new long[INITIAL_CAPACITY];
    private int seenCount;
    private long deliveries;
    private long duplicates;
    private long outOfOrder;
    private long outOfRange;

    Receiver(String room, long joinSeq) {
        this.room = room;
        this.joinSeq = joinSeq;
    }

    public String room() {
        return room;
    }

    /** One delivery of {@code seq} to this user. */
    public synchronized void receive(long seq) {
        deliveries++;
        if (seq <= joinSeq) {
            outOfRange++;
            return;
        }
        if (seenCount == 0 || seq > seen[seenCount - 1]) {
            insert(seenCount, seq);
            return;
        }
        int at = Arrays.binarySearch(seen, 0, seenCount, seq);
        if (at >= 0) {
            duplicates++;
            return;
        }
        outOfOrder++;
        insert(-at - 1, seq);
    }

    private void insert(int at, long seq) {
        if (seenCount == seen.length) {
            seen = Arrays.copyOf(seen, seen.length * 2);
        }
        System.arraycopy(seen, at, seen, at + 1, seenCount - at);
        seen[at] = seq;
        seenCount++;
    }

    /**
     * Of the room's acknowledged messages sent after this user joined, how many it should have and has.
     *
     * @param acked the room's acknowledged sequence numbers, sorted
     */
    synchronized long[] expectedAndReceived(long[] acked) {
        long expected = 0;
        long received = 0;
        for (long seq : acked) {
            if (seq > joinSeq) {
                expected++;
                if (Arrays.binarySearch(seen, 0, seenCount, seq) >= 0) {
                    received++;
                }
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
