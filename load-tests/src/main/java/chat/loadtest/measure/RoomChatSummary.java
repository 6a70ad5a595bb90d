package chat.loadtest.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one room-chat run, written as JSON for the scaling run and the smoke test to read.
 *
 * @param run                 what was run
 * @param users               users that arrived
 * @param joinFailures        users that could not connect or join
 * @param sent                messages sent
 * @param acked               messages acknowledged with {@code ok:true}
 * @param ackFailures         messages whose ack was an error or did not come in time
 * @param deliveries          message frames received, the sender's own copies included
 * @param expectedDeliveries  deliveries of acknowledged messages to members that had joined before them
 * @param lost                expected deliveries that never arrived
 * @param duplicates          deliveries of a {@code seq} the member already had
 * @param outOfOrder          deliveries below a {@code seq} the member already had
 * @param outOfRange          deliveries at or below the member's join {@code seq}
 * @param ackedPerSecond      acknowledged messages per second of the send window
 * @param deliveredPerSecond  deliveries per second of the send window
 * @param endToEnd            sender's clock to each other member's receipt, in ms
 * @param ack                 send to ack, in ms
 * @param windowStart         epoch ms when users began sending
 * @param windowEnd           epoch ms when they stopped
 */
public record RoomChatSummary(Run run, long users, long joinFailures, long sent, long acked, long ackFailures,
                              long deliveries, long expectedDeliveries, long lost, long duplicates, long outOfOrder,
                              long outOfRange, double ackedPerSecond, double deliveredPerSecond, Latency endToEnd,
                              Latency ack, long windowStart, long windowEnd) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a run was asked to do.
     *
     * @param nodes           nodes under test
     * @param users           users
     * @param roomSize        members per room
     * @param placement       sharded or spread
     * @param offeredRate     messages per second all users offered
     * @param p99Millis       the end-to-end p99 it had to keep
     * @param maxErrorPercent the share of failed operations it could have
     */
    public record Run(int nodes, int users, int roomSize, String placement, double offeredRate, double p99Millis,
                      double maxErrorPercent) {
    }

    /** Percentiles of a latency histogram, in milliseconds. */
    public record Latency(long count, double p50, double p95, double p99, double max) {
        /** From a histogram of microseconds. */
        static Latency ofMicros(Histogram histogram) {
            return new Latency(histogram.getTotalCount(), millis(histogram.getValueAtPercentile(50)),
                    millis(histogram.getValueAtPercentile(95)), millis(histogram.getValueAtPercentile(99)),
                    millis(histogram.getMaxValue()));
        }

        private static double millis(long micros) {
            return micros / 1000.0;
        }
    }

    /** Failed connects, joins and sends, as a percentage of all of them. */
    public double requestErrorPercent() {
        long requests = users + sent;
        return requests == 0 ? 0 : 100.0 * (joinFailures + ackFailures) / requests;
    }

    /** Lost, duplicated and out-of-order deliveries, as a percentage of the expected ones. */
    public double deliveryErrorPercent() {
        return expectedDeliveries == 0 ? 0 : 100.0 * (lost + duplicates + outOfOrder) / expectedDeliveries;
    }

    /** Whether the run kept its latency objective and error budget. */
    public boolean passed() {
        return acked > 0
                && endToEnd.p99() <= run.p99Millis()
                && requestErrorPercent() < run.maxErrorPercent()
                && deliveryErrorPercent() < run.maxErrorPercent();
    }

    /** Whether every acknowledged message reached every member exactly once, in order. */
    public boolean correct() {
        return acked > 0 && joinFailures == 0 && ackFailures == 0 && acked == sent
                && lost == 0 && duplicates == 0 && outOfOrder == 0 && outOfRange == 0;
    }

    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public static RoomChatSummary read(Path file) {
        try {
            return JSON.readValue(file.toFile(), RoomChatSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    public String oneLine() {
        return String.format("offered %.0f msg/s: acked %d/%d (%.1f/s), delivered %.0f/s, e2e p50/p95/p99/max "
                        + "%.0f/%.0f/%.0f/%.0f ms, lost %d, dup %d, out-of-order %d, join failures %d, ack failures %d",
                run.offeredRate(), acked, sent, ackedPerSecond, deliveredPerSecond, endToEnd.p50(), endToEnd.p95(),
                endToEnd.p99(), endToEnd.max(), lost, duplicates, outOfOrder, joinFailures, ackFailures);
    }
}
