package chat.loadtest.measure;

import chat.loadtest.socketio.Delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

/**
 * What all virtual users of a room-chat run sent, had acknowledged and received, kept across users because each
 * user sees only its own socket: end-to-end latency from a sender's clock to every other member, and the
 * deliveries that were lost, duplicated or out of order.
 *
 * <p>Rates and latencies count only the measured window; lost, duplicated and out-of-order deliveries count every
 * message, the lead-in's included. Latencies are in microseconds, recorded into HdrHistogram {@link Recorder}s, whose writers neither lock nor
 * allocate; a delivery to a user that holds its {@link Receiver} costs no allocation at all.
 */
public final class DeliveryLedger {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final Map<Integer, Receiver> receivers = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListSet<Long>> ackedByRoom = new ConcurrentHashMap<>();
    private final Recorder endToEnd = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder ackLatency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final LongAdder arrived = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder ackFailures = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private final LongAdder ackedInWindow = new LongAdder();

    public void arrived() {
        arrived.increment();
    }

    /** A user joined its room, whose stream was at {@code joinSeq}; the returned receiver takes its deliveries. */
    public Receiver joined(int user, String room, long joinSeq) {
        Receiver receiver = new Receiver(room, joinSeq);
        receivers.put(user, receiver);
        return receiver;
    }

    public void sent() {
        sent.increment();
    }

    /**
     * A message was acknowledged.
     *
     * @param inWindow whether the ack arrived while the measured window was open
     */
    public void acked(String room, long seq, long micros, boolean inWindow) {
        ackedByRoom.computeIfAbsent(room, r -> new ConcurrentSkipListSet<>()).add(seq);
        if (inWindow) {
            ackedInWindow.increment();
            ackLatency.recordValue(clamp(micros));
        }
    }

    public void ackFailed() {
        ackFailures.increment();
    }

    /**
     * A message of the receiver's room arrived.
     *
     * @param latencyMicros sender's clock to this receipt, or a negative number for the sender's own copy
     * @param inWindow      whether it arrived while the send window was open
     */
    public void received(Receiver receiver, long seq, long latencyMicros, boolean inWindow) {
        receiver.receive(seq);
        if (inWindow) {
            deliveredInWindow.increment();
        }
        if (inWindow && latencyMicros >= 0) {
            endToEnd.recordValue(clamp(latencyMicros));
        }
    }

    /** A message frame user {@code user} received at {@code receivedAt} (epoch ms), its send time in epoch ms. */
    public void received(int user, String self, Delivery delivery, long receivedAt, SendWindow window) {
        Receiver receiver = receivers.get(user);
        if (receiver == null || !receiver.room().equals(delivery.room())) {
            return;
        }
        boolean own = self.equals(delivery.from()) || delivery.sentAt() <= 0;
        received(receiver, delivery.seq(), own ? -1 : TimeUnit.MILLISECONDS.toMicros(receivedAt - delivery.sentAt()),
                window.measures(receivedAt));
    }

    /** Totals once every user has finished. */
    public RoomChatSummary summarize(RoomChatSummary.Run run, SendWindow window) {
        long expected = 0;
        long received = 0;
        long deliveries = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long outOfRange = 0;
        for (Receiver receiver : receivers.values()) {
            long[] acked = ackedByRoom.getOrDefault(receiver.room(), new ConcurrentSkipListSet<>()).stream()
                    .mapToLong(Long::longValue).toArray();
            long[] counts = receiver.expectedAndReceived(acked);
            expected += counts[0];
            received += counts[1];
            deliveries += receiver.deliveries();
            duplicates += receiver.duplicates();
            outOfOrder += receiver.outOfOrder();
            outOfRange += receiver.outOfRange();
        }
        long acked = ackedByRoom.values().stream().mapToLong(ConcurrentSkipListSet::size).sum();
        return new RoomChatSummary(run,
                arrived.sum(), arrived.sum() - receivers.size(),
                sent.sum(), acked, ackFailures.sum(),
                deliveries, expected, expected - received, duplicates, outOfOrder, outOfRange,
                ackedInWindow.sum() / window.sendSeconds(), deliveredInWindow.sum() / window.sendSeconds(),
                RoomChatSummary.Latency.ofMicros(endToEnd.getIntervalHistogram()),
                RoomChatSummary.Latency.ofMicros(ackLatency.getIntervalHistogram()),
                window.sendStart(), window.sendEnd());
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, MAX_LATENCY_MICROS));
    }
}
