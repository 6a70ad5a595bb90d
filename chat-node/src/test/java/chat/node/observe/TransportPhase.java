package chat.node.observe;

import chat.node.observe.RoomLedger.Tally;

import java.util.Arrays;

/**
 * One phase of {@link TransportCostBenchmark}: one transport's senders sending, or several such phases added up.
 *
 * @param round         0 for a warm-up
 * @param seconds       from the first send until everything sent had settled
 * @param nodeSeconds   CPU time of the node's process over those seconds
 * @param clientSeconds CPU time of this JVM (all clients, both populations) over those seconds
 * @param requests      HTTP requests answered to polling clients (GETs and POSTs)
 * @param polls         of which GETs
 * @param failed        polling clients whose session had ended
 * @param load          the machine's load average when the phase began
 */
record TransportPhase(Transport transport, int round, Tally tally, double seconds, double nodeSeconds,
                      double clientSeconds, long requests, long polls, long failed, String load) {
    /** How the clients of a phase reach the node. */
    enum Transport {
        WEBSOCKET("WebSocket"), POLLING("long-polling");

        final String label;

        Transport(String label) {
            this.label = label;
        }
    }

    /** The head of the table of phases, whose rows are {@link #toString}. */
    static final String HEADER = "| round | transport | messages/s | deliveries/s | node CPU | per message "
            + "| per delivery | e2e p50 / p99 / max | HTTP requests (GETs) | deliveries per GET | clients' CPU "
            + "| lost, duplicated, out of order | load |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|";
    /** The head of the table of transports, whose rows are {@link #summary}. */
    static final String SUMMARY_HEADER = "| transport | messages | deliveries | lost | duplicated | out of order "
            + "| node CPU | node CPU per message | node CPU per delivery (range over phases) | vs WebSocket "
            + "| e2e p50 | e2e p99 | e2e max | HTTP requests per delivery |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    TransportPhase plus(TransportPhase other) {
        return new TransportPhase(transport, round, tally.plus(other.tally), seconds + other.seconds,
                nodeSeconds + other.nodeSeconds, clientSeconds + other.clientSeconds, requests + other.requests,
                polls + other.polls, failed + other.failed, load);
    }

    double nodeCores() {
        return nodeSeconds / seconds;
    }

    /** Node CPU per acked message, in µs. */
    double perMessage() {
        return nodeSeconds * 1e6 / tally.acked();
    }

    /** Node CPU per delivered copy, in µs. */
    double perDelivery() {
        return nodeSeconds * 1e6 / tally.deliveries();
    }

    /** The send-to-receipt time of that quantile of the copies, in ms; 1 gives the maximum. */
    double latency(double quantile) {
        long[] sorted = tally.latencies().clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN
                : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
    }

    /**
     * This transport's phases added up, as a row of the table of transports.
     *
     * @param fewest    the least node CPU per delivery of one phase
     * @param most      the most
     * @param webSocket the node CPU per delivery of WebSocket clients, for the ratio
     */
    String summary(double fewest, double most, double webSocket) {
        return String.format("| %s | %,d | %,d | %d | %d | %d | %.3f cores | %.0f µs | %.1f µs (%.1f–%.1f) | %.2f× "
                        + "| %.1f ms | %.1f ms | %.1f ms | %s |", transport.label, tally.acked(), tally.deliveries(),
                tally.lost(), tally.duplicates(), tally.outOfOrder(), nodeCores(), perMessage(), perDelivery(),
                fewest, most, perDelivery() / webSocket, latency(0.5), latency(0.99), latency(1),
                transport == Transport.POLLING ? String.format("%.2f", (double) requests / tally.deliveries())
                        : "none");
    }

    @Override
    public String toString() {
        boolean polling = transport == Transport.POLLING;
        return String.format("| %s | %s | %,.0f | %,.0f | %.3f cores | %.0f µs | %.1f µs | %.1f / %.1f / %.1f ms "
                        + "| %s | %s | %.2f cores | %d, %d, %d | %s |", round == 0 ? "warm-up" : round,
                transport.label, tally.acked() / seconds, tally.deliveries() / seconds, nodeCores(), perMessage(),
                perDelivery(), latency(0.5), latency(0.99), latency(1),
                polling ? String.format("%,d (%,d)", requests, polls) : "none",
                polling ? String.format("%.2f", (double) tally.deliveries() / polls) : "none",
                clientSeconds / seconds, tally.lost(), tally.duplicates(), tally.outOfOrder(), load)
                + (tally.exact() && failed == 0 ? "" : String.format(" sent %d, acked %d, refused %d, owed %d, "
                + "unacked copies %d, failed clients %d", tally.sent(), tally.acked(), tally.refused(),
                tally.expected(), tally.unacked(), failed));
    }
}
