package chat.node.fanout;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One measured window of {@link RedisTierBenchmark} on one deployment, or several windows of it added up.
 *
 * @param deployment   the deployment's name
 * @param round        which round, 0 for several added up
 * @param seconds      wall-clock length
 * @param published    messages published (not repeats of a cid), per master of the room
 * @param frames       message frames received, per node
 * @param publishNanos time spent inside {@code publishMessage} by all senders together
 * @param errors       calls of {@code publishMessage} that threw
 * @param masterCpu    CPU seconds of each master
 * @param replicas     how many replicas the deployment has
 * @param replicaCpu   CPU seconds of all replicas together
 * @param jvmCpu       CPU seconds of this JVM: senders, buses, subscribers
 * @param load         the machine's one-minute load average when the window began
 */
record RedisTierWindow(String deployment, int round, double seconds, long[] published, long[] frames,
                       long publishNanos, long errors, double[] masterCpu, int replicas, double replicaCpu,
                       double jvmCpu, String load) {

    /** The head of the table of windows, whose rows are {@link #toString}. */
    static final String HEADER = "| round | deployment | messages/s | frames/s per node | mean publish call "
            + "| Redis masters (cores) | each master | replicas | benchmark JVM | messages per Redis-CPU-s | errors "
            + "| load |\n"
            + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /** The head of the table of deployments, whose rows are {@link #summary}. */
    static final String SUMMARY_HEADER = "| deployment | messages/s | frames per node ÷ messages, in the windows "
            + "| mean publish call | Redis masters (cores) | replicas (cores) | benchmark JVM (cores) "
            + "| messages per Redis-CPU-s: masters (rounds' range) | with replicas | ceiling: N masters × 1 core |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /** The head of the table of masters, whose rows are {@link #masterRows}. */
    static final String MASTERS_HEADER = "| deployment | master | share of messages | CPU (cores) "
            + "| messages per CPU-s |\n"
            + "|---|---|---:|---:|---:|";

    RedisTierWindow plus(RedisTierWindow other) {
        return new RedisTierWindow(deployment, 0, seconds + other.seconds, add(published, other.published),
                add(frames, other.frames), publishNanos + other.publishNanos, errors + other.errors,
                add(masterCpu, other.masterCpu), replicas, replicaCpu + other.replicaCpu, jvmCpu + other.jvmCpu, load);
    }

    long messages() {
        return Arrays.stream(published).sum();
    }

    double messagesPerSecond() {
        return messages() / seconds;
    }

    double mastersCpu() {
        return Arrays.stream(masterCpu).sum();
    }

    /** Messages per CPU-second of the masters, which run the script: the figure that scales with shards. */
    double perRedisCpuSecond() {
        return messages() / mastersCpu();
    }

    double perCpuSecondWithReplicas() {
        return messages() / (mastersCpu() + replicaCpu);
    }

    double meanPublishMillis() {
        return publishNanos / 1e6 / messages();
    }

    /** A row of the table of windows. */
    @Override
    public String toString() {
        return String.format("| %d | %s | %,.0f | %s | %.2f ms | %.2f | %s | %s | %.2f | %,.0f | %d | %s |", round,
                deployment, messagesPerSecond(),
                Arrays.stream(frames).mapToObj(f -> String.format("%,.0f", f / seconds))
                        .collect(Collectors.joining(", ")),
                meanPublishMillis(), mastersCpu() / seconds,
                Arrays.stream(masterCpu).mapToObj(c -> String.format("%.2f", c / seconds))
                        .collect(Collectors.joining(", ")),
                replicas == 0 ? "none" : String.format("%.2f", replicaCpu / seconds),
                jvmCpu / seconds, perRedisCpuSecond(), errors, load);
    }

    /**
     * These windows added up, as a row of the summary table.
     *
     * @param fewest    the fewest messages per Redis-CPU-second of one window
     * @param most      the most
     */
    String summary(double fewest, double most) {
        return String.format("| %s | %,.0f | %s | %.2f ms | %.2f | %s | %.2f | **%,.0f** (%,.0f–%,.0f) | %s | %,.0f |",
                deployment, messagesPerSecond(),
                Arrays.stream(frames).mapToObj(f -> String.format("%.4f", (double) f / messages()))
                        .collect(Collectors.joining(", ")),
                meanPublishMillis(), mastersCpu() / seconds,
                replicas == 0 ? "none" : String.format("%.2f", replicaCpu / seconds), jvmCpu / seconds,
                perRedisCpuSecond(), fewest, most,
                replicas == 0 ? "same" : String.format("%,.0f", perCpuSecondWithReplicas()),
                masterCpu.length * perRedisCpuSecond());
    }

    /** One row per master: its share of the messages, its CPU, and its messages per CPU-second. */
    String masterRows(List<Integer> ports) {
        return IntStream.range(0, published.length)
                .mapToObj(i -> String.format("| %s | %d | %.1f %% | %.2f | %,.0f |", deployment, ports.get(i),
                        100.0 * published[i] / messages(), masterCpu[i] / seconds, published[i] / masterCpu[i]))
                .collect(Collectors.joining("\n"));
    }

    private static long[] add(long[] a, long[] b) {
        return IntStream.range(0, a.length).mapToLong(i -> a[i] + b[i]).toArray();
    }

    private static double[] add(double[] a, double[] b) {
        return IntStream.range(0, a.length).mapToDouble(i -> a[i] + b[i]).toArray();
    }
}
