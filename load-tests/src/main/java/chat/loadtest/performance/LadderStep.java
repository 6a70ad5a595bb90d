package chat.loadtest.performance;

import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.scaling.StepResult;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One measured step at one target rate against one node, what it cost the node per message and per delivery, and
 * why it failed, if it did. A delivery is a message frame a member received, the sender's own copy included: a
 * message in a room of 10 makes 10.
 *
 * @param targetRate     messages per second the users were to send, all together
 * @param sendingSeconds how long they sent: the lead-in and the measured window
 * @param result         what the generator measured and every process used in the window
 * @param failures       why the step failed; empty when it passed
 */
public record LadderStep(double targetRate, int sendingSeconds, StepResult result, List<String> failures) {

    /**
     * The step, judged: it fails on an end-to-end p99 over its objective, too many failed joins or sends, any
     * delivery lost, duplicated, out of order or out of range, or less than {@code minRateShare} of the target rate
     * sent (the generator fell behind) or acknowledged in the window.
     */
    public static LadderStep judge(double targetRate, int sendingSeconds, StepResult result, double minRateShare) {
        RoomChatSummary s = result.summary();
        List<String> failures = new ArrayList<>();
        if (s.acked() == 0) {
            failures.add("nothing acknowledged");
        }
        if (s.endToEnd().p99() > s.run().p99Millis()) {
            failures.add(String.format("e2e p99 %.1f ms over %.0f ms", s.endToEnd().p99(), s.run().p99Millis()));
        }
        if (s.requestErrorPercent() >= s.run().maxErrorPercent()) {
            failures.add(String.format("%.2f %% of joins and sends failed", s.requestErrorPercent()));
        }
        if (s.lost() + s.duplicates() + s.outOfOrder() + s.outOfRange() > 0) {
            failures.add(String.format("deliveries lost %d, duplicated %d, out of order %d, out of range %d",
                    s.lost(), s.duplicates(), s.outOfOrder(), s.outOfRange()));
        }
        double sent = s.sent() / (targetRate * sendingSeconds);
        if (sent < minRateShare) {
            failures.add(String.format("the generator sent %.0f %% of the target", 100 * sent));
        }
        if (s.ackedPerSecond() < minRateShare * targetRate) {
            failures.add(String.format("%.0f %% of the target acknowledged", 100 * s.ackedPerSecond() / targetRate));
        }
        return new LadderStep(targetRate, sendingSeconds, result, List.copyOf(failures));
    }

    @JsonProperty
    public boolean passed() {
        return failures.isEmpty();
    }

    /** Whether no delivery was lost, duplicated, out of order or out of range. */
    @JsonProperty
    public boolean correct() {
        RoomChatSummary s = result.summary();
        return s.lost() + s.duplicates() + s.outOfOrder() + s.outOfRange() == 0;
    }

    /** Messages acknowledged per second of the window. */
    @JsonProperty
    public double achievedRate() {
        return result.summary().ackedPerSecond();
    }

    /** Messages the generator sent, as a share of what the target rate asked for. */
    @JsonProperty
    public double sentShare() {
        return result.summary().sent() / (targetRate * sendingSeconds);
    }

    @JsonProperty
    public double deliveriesPerSecond() {
        return result.summary().deliveredPerSecond();
    }

    /** Cores the node used on average over the window. */
    @JsonProperty
    public double nodeCpus() {
        return result.totalNodeCpus();
    }

    /** The share of CFS periods in the step in which the node's cap held it back; 0 when uncapped. */
    @JsonProperty
    public double nodeThrottledShare() {
        return result.throttledShares().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    @JsonProperty
    public double nodeMicrosPerDelivery() {
        return per(1e6 * nodeCpus(), deliveriesPerSecond());
    }

    @JsonProperty
    public double nodeMicrosPerMessage() {
        return per(1e6 * nodeCpus(), achievedRate());
    }

    @JsonProperty
    public double deliveriesPerNodeCpuSecond() {
        return per(deliveriesPerSecond(), nodeCpus());
    }

    @JsonProperty
    public double messagesPerNodeCpuSecond() {
        return per(achievedRate(), nodeCpus());
    }

    public String verdict() {
        return passed() ? "pass" : "fail: " + String.join("; ", failures);
    }

    public String oneLine() {
        RoomChatSummary s = result.summary();
        return String.format("%s | target %.0f msg/s, acked %.0f/s, sent %.0f %%, %.0f deliveries/s | node %.2f CPU, "
                        + "%.1f µs/delivery, %.0f deliveries/CPU-s | e2e p50/p99/max %.1f/%.1f/%.1f ms | "
                        + "Redis %.2f, Kafka %.2f, generator %.2f CPU",
                verdict(), targetRate, achievedRate(), 100 * sentShare(), deliveriesPerSecond(), nodeCpus(),
                nodeMicrosPerDelivery(), deliveriesPerNodeCpuSecond(), s.endToEnd().p50(), s.endToEnd().p99(),
                s.endToEnd().max(), result.redisCpus(), result.kafkaCpus(), result.generatorCpus());
    }

    private static double per(double amount, double unit) {
        return unit <= 0 ? Double.NaN : amount / unit;
    }
}
