package chat.loadtest.measure;

import chat.loadtest.socketio.Delivery;

import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What all virtual users of a room-chat run sent, had acknowledged and received, kept across users because Gatling
 * times only each user's own requests: end-to-end latency from a sender's clock to every other member, and the
 * deliveries that were lost, duplicated or out of order.
 */
public final class DeliveryLedger {

    private static final long MAX_LATENCY_MS = TimeUnit.MINUTES.toMillis(5);

    private final Map<Integer, Receiver> receivers = new ConcurrentHashMap<>();
    private final Map<String, NavigableSet<Long>> ackedByRoom = new ConcurrentHashMap<>();
    private final Histogram endToEnd = new ConcurrentHistogram(MAX_LATENCY_MS, 3);
    private final Histogram ackLatency = new ConcurrentHistogram(MAX_LATENCY_MS, 3);
    private final LongAdder arrived = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder ackFailures = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();

    public void arrived() {
        arrived.increment();
    }

    public void joined(int user, String room, long joinSeq) {
        receivers.put(user, new Receiver(room, joinSeq));
    }

    public void sent() {
        sent.increment();
    }

    public void acked(String room, long seq, long millis) {
        ackedByRoom.computeIfAbsent(room, r -> new ConcurrentSkipListSet<>()).add(seq);
        ackLatency.recordValue(clamp(millis));
    }

    public void ackFailed() {
        ackFailures.increment();
    }

    /** A message frame user {@code user} received at {@code receivedAt} (epoch ms), while the window was open. */
    public void received(int user, String self, Delivery delivery, long receivedAt, SendWindow window) {
        Receiver receiver = receivers.get(user);
        if (receiver == null || !receiver.room().equals(delivery.room())) {
            return;
        }
        receiver.receive(delivery.seq());
        if (receivedAt >= window.sendStart() && receivedAt < window.sendEnd()) {
            deliveredInWindow.increment();
        }
        if (!self.equals(delivery.from()) && delivery.sentAt() > 0) {
            endToEnd.recordValue(clamp(receivedAt - delivery.sentAt()));
        }
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
            long[] counts = receiver.expectedAndReceived(ackedByRoom.getOrDefault(receiver.room(),
                    new ConcurrentSkipListSet<>()));
            expected += counts[0];
            received += counts[1];
            deliveries += receiver.deliveries();
            duplicates += receiver.duplicates();
            outOfOrder += receiver.outOfOrder();
            outOfRange += receiver.outOfRange();
        }
        long acked = ackedByRoom.values().stream().mapToLong(NavigableSet::size).sum();
        return new RoomChatSummary(run,
                arrived.sum(), arrived.sum() - receivers.size(),
                sent.sum(), acked, ackFailures.sum(),
                deliveries, expected, expected - received, duplicates, outOfOrder, outOfRange,
                acked / window.sendSeconds(), deliveredInWindow.sum() / window.sendSeconds(),
                RoomChatSummary.Latency.of(endToEnd), RoomChatSummary.Latency.of(ackLatency),
                window.sendStart(), window.sendEnd());
    }

    private static long clamp(long millis) {
        return Math.max(0, Math.min(millis, MAX_LATENCY_MS));
    }
}
