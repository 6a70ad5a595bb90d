package chat.loadtest.performance;

import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.scaling.LoadStep;
import chat.loadtest.scaling.StepResult;

import java.util.List;

/** Steps as a test wants them measured: one node, 1,000 users, 5 s of lead-in and a 10 s window. */
final class Measured {

    static final int SENDING_SECONDS = 15;
    static final double MIN_RATE_SHARE = 0.97;
    private static final int USERS = 1000;

    private final double rate;
    private int roomSize = 10;
    private double nodeCpus = 0.5;
    private double p99 = 5;
    private double sentShare = 1;
    private long lost;
    private double throttled;

    private Measured(double rate) {
        this.rate = rate;
    }

    /** A step at {@code rate} messages per second that everything kept up with. */
    static Measured at(double rate) {
        return new Measured(rate);
    }

    Measured roomsOf(int size) {
        roomSize = size;
        return this;
    }

    Measured nodeCpus(double cpus) {
        nodeCpus = cpus;
        return this;
    }

    Measured p99(double millis) {
        p99 = millis;
        return this;
    }

    Measured sentShare(double share) {
        sentShare = share;
        return this;
    }

    Measured lost(long deliveries) {
        lost = deliveries;
        return this;
    }

    /** The share of CFS periods in which the node's cap held it back. */
    Measured throttled(double share) {
        throttled = share;
        return this;
    }

    LadderStep judged() {
        return LadderStep.judge(rate, SENDING_SECONDS, result(), MIN_RATE_SHARE);
    }

    StepResult result() {
        double acked = rate * Math.min(1, sentShare);
        long sent = Math.round(rate * SENDING_SECONDS * sentShare);
        RoomChatSummary summary = new RoomChatSummary(
                new RoomChatSummary.Run(1, USERS, roomSize, "sharded", rate, 100, 0.1),
                USERS, 0, sent, sent, 0, sent * roomSize, sent * roomSize, lost, 0, 0, 0, acked, acked * roomSize,
                new RoomChatSummary.Latency(1000, 1, p99 / 2, p99, p99 * 2),
                new RoomChatSummary.Latency(1000, 1, 2, 3, 4), 0, 10_000);
        return new StepResult(rate, LoadStep.Generator.WIRE, summary, List.of(nodeCpus), List.of(throttled),
                List.of(0L), 0.1, 0.1, 0.01, 0.3, 1.5);
    }
}
