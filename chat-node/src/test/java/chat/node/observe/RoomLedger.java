package chat.node.observe;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The books of one benchmark room with one sender: which messages it sent and had acked, which of them each member
 * received, how often and in what order, and how long each took from send to receipt. A message is numbered by
 * its ack id and carries that number and its send time ({@link System#nanoTime}) at the start of its text, so a
 * receipt in this JVM is matched and timed without parsing JSON. {@link #reset} starts a new phase once nothing is
 * in flight.
 */
final class RoomLedger {
    /** With the numbers in front, a text of about a hundred characters, like a line of chat. */
    private static final String FILLER = "benchmark message, like a line of chat between two people in a room";

    private final String room;
    private final int members;
    private final BitSet acked = new BitSet();
    private final BitSet[] received;
    private final long[] lastReceived;
    private long next;
    private int sent;
    private int refused;
    private long deliveries;
    private long duplicates;
    private long outOfOrder;
    private long[] latencies = new long[4096];
    private int latencyCount;

    RoomLedger(String room, int members) {
        this.room = room;
        this.members = members;
        this.received = new BitSet[members];
        this.lastReceived = new long[members];
        for (int member = 0; member < members; member++) {
            received[member] = new BitSet();
        }
    }

    String room() {
        return room;
    }

    /** The sender's next message, stamped now: {@code 42<n>["message",{"room":…,"text":"<n> <nanos> …"}]}. */
    synchronized String nextPacket() {
        long number = ++next;
        sent++;
        return "42" + number + "[\"message\",{\"room\":\"" + room + "\",\"text\":\"" + number + " " + System.nanoTime()
                + " " + FILLER + "\"}]";
    }

    /** An event or ack packet that reached member {@code member} (the sender is member 0) at {@code nanos}. */
    synchronized void onPacket(int member, String packet, long nanos) {
        if (packet.startsWith("43")) {
            int number = Integer.parseInt(packet, 2, packet.indexOf('['), 10);
            if (packet.contains("\"ok\":true")) {
                acked.set(number);
            } else {
                refused++;
            }
            return;
        }
        int start = packet.indexOf("\"text\":\"") + 8;
        int space = packet.indexOf(' ', start);
        int number = Integer.parseInt(packet, start, space, 10);
        long sentAt = Long.parseLong(packet, space + 1, packet.indexOf(' ', space + 1), 10);
        deliveries++;
        if (received[member].get(number)) {
            duplicates++;
        }
        received[member].set(number);
        if (number < lastReceived[member]) {
            outOfOrder++;
        }
        lastReceived[member] = number;
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
        }
        latencies[latencyCount++] = nanos - sentAt;
    }

    /** Whether every message sent this phase was answered, and every acked one reached every member. */
    synchronized boolean settled() {
        return acked.cardinality() + refused == sent && missing() == 0;
    }

    synchronized Tally tally() {
        long unacked = 0;
        for (BitSet got : received) {
            BitSet extra = (BitSet) got.clone();
            extra.andNot(acked);
            unacked += extra.cardinality();
        }
        return new Tally(sent, acked.cardinality(), refused, (long) acked.cardinality() * members, deliveries,
                missing(), duplicates, outOfOrder, unacked, Arrays.copyOf(latencies, latencyCount));
    }

    /** Forgets the phase; call it only when nothing is in flight. */
    synchronized void reset() {
        acked.clear();
        for (BitSet got : received) {
            got.clear();
        }
        Arrays.fill(lastReceived, 0);
        sent = 0;
        refused = 0;
        deliveries = 0;
        duplicates = 0;
        outOfOrder = 0;
        latencyCount = 0;
    }

    private long missing() {
        long missing = 0;
        for (BitSet got : received) {
            BitSet lost = (BitSet) acked.clone();
            lost.andNot(got);
            missing += lost.cardinality();
        }
        return missing;
    }

    /**
     * One room's phase, or several rooms' added up.
     *
     * @param sent       messages sent
     * @param acked      messages acked {@code ok:true}
     * @param refused    messages acked with an error
     * @param expected   deliveries owed: every acked message to every member, the sender included
     * @param deliveries copies received, duplicates included
     * @param lost       copies owed and not received
     * @param duplicates copies received again
     * @param outOfOrder copies received after a later message of the same room
     * @param unacked    copies of messages that were not acked ok
     * @param latencies  send-to-receipt times of every copy, in nanoseconds
     */
    record Tally(long sent, long acked, long refused, long expected, long deliveries, long lost, long duplicates,
                 long outOfOrder, long unacked, long[] latencies) {
        static final Tally NONE = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, new long[0]);

        Tally plus(Tally other) {
            long[] both = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, both, latencies.length, other.latencies.length);
            return new Tally(sent + other.sent, acked + other.acked, refused + other.refused,
                    expected + other.expected, deliveries + other.deliveries, lost + other.lost,
                    duplicates + other.duplicates, outOfOrder + other.outOfOrder, unacked + other.unacked, both);
        }

        /** Whether every acked message reached every member exactly once, in order, and nothing was refused. */
        boolean exact() {
            return refused == 0 && lost == 0 && duplicates == 0 && outOfOrder == 0 && unacked == 0
                    && deliveries == expected;
        }
    }
}
