package chat.node.observe;

import chat.common.telemetry.Tracing;
import chat.stack.LocalStack;
import chat.stack.StackPorts;
import chat.stack.StackService;

import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The cost of tracing: message throughput of two chat nodes with spans sampled at 100 %, at 10 % and with tracing
 * off. Fixed Socket.IO clients, half on each node, in rooms with members on both nodes, each sending a message as
 * soon as the previous one is acked. The sampled runs use the production SDK ({@link Tracing#start}: batch span
 * processor, OTLP over HTTP) exporting to a {@link DiscardingOtlpSink} in this JVM, so sampled spans are recorded,
 * batched, serialized and sent; tracing off is {@link OpenTelemetry#noop()}. Metrics are on in every run. Each
 * round runs the modes in a rotated order, so none always runs first, after the JVM's warm-up run. Besides
 * throughput, which follows whatever else the machine runs, it reports the CPU time this JVM spent per acked
 * message, which does much less so.
 *
 * <p>The nodes' sockets send without Nagle's delay ({@code server.connection-options.tcp-no-delay}): with it, an
 * ack written right after the sender's own copy of the message waits for the client's delayed TCP ack, about
 * 40 ms, and the run measures that timer instead of the CPU that tracing costs ({@code -Dbenchmark.nodelay=false}
 * shows it).
 *
 * <p>Run with {@code ./mvnw -q -pl chat-node -Pobservability-benchmark test-compile exec:exec}; the properties
 * {@code benchmark.seconds}, {@code benchmark.warmup}, {@code benchmark.clients}, {@code benchmark.rounds} and
 * {@code benchmark.nodelay} change the run.
 */
public final class ObservabilityCostBenchmark {
    private static final int ROOM_SIZE = 4;
    private static final String OFF = "off (noop)";
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Map<String, Double> MODES = new LinkedHashMap<>();

    static {
        MODES.put(OFF, 0.0);
        MODES.put("10 % sampled", 0.1);
        MODES.put("100 % sampled", 1.0);
    }

    private ObservabilityCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Kafka's clients log their whole configuration at INFO, for every node of every run.
        Logger.getLogger("").setLevel(Level.WARNING);
        Duration measured = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 20));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("benchmark.warmup", 5));
        int clients = Integer.getInteger("benchmark.clients", 100);
        int rounds = Integer.getInteger("benchmark.rounds", 3);
        boolean noDelay = Boolean.parseBoolean(System.getProperty("benchmark.nodelay", "true"));
        Path folder = Files.createTempDirectory("observability-benchmark-");
        try (LocalStack stack = LocalStack.start(folder, false, StackPorts.anyFree(),
                EnumSet.of(StackService.REDIS, StackService.KAFKA));
             DiscardingOtlpSink sink = DiscardingOtlpSink.start()) {
            String collector = sink.endpoint();
            System.out.printf("%s, %d processors, Java %s; warming up with one unrecorded run%n",
                    System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            run(stack, collector, 0.1, clients, noDelay, warmup, measured);
            Map<String, List<Result>> results = new LinkedHashMap<>();
            List<String> order = new ArrayList<>(MODES.keySet());
            for (int round = 0; round < rounds; round++) {
                for (String mode : order) {
                    Result result = run(stack, collector, MODES.get(mode), clients, noDelay, warmup, measured);
                    results.computeIfAbsent(mode, k -> new ArrayList<>()).add(result);
                    System.out.printf("round %d  %-14s %s  (load before: %s)%n", round + 1, mode, result,
                            result.load());
                }
                Collections.rotate(order, -1);
            }
            print(results, clients, noDelay, measured);
            System.out.printf("OTLP exports received by the sink: %,d%n", sink.exports());
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        System.exit(0);
    }

    private static Result run(LocalStack stack, String collector, double ratio, int clients, boolean noDelay,
                              Duration warmup, Duration measured) throws InterruptedException {
        OpenTelemetry telemetry = ratio == 0 ? OpenTelemetry.noop() : Tracing.start("chat-node", collector, ratio);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = Map.of(
                "chat.kafka.topics.messages", "bench-messages-" + run,
                "chat.kafka.topics.events", "bench-events-" + run,
                "chat.limits.ratepersecond", "1000000",
                "chat.limits.burst", "1000000",
                "server.connection-options.tcp-no-delay", Boolean.toString(noDelay));
        List<BenchmarkClient> senders = new ArrayList<>();
        try (TracedNodes nodes = TracedNodes.start(2, stack.redis().url(), stack.kafka().bootstrap(), settings,
                telemetry)) {
            for (int i = 0; i < clients; i++) {
                senders.add(BenchmarkClient.joined(nodes.port(i % 2), nodes.token("user-" + run + "-" + i),
                        "room-" + run + "-" + i / ROOM_SIZE));
            }
            senders.forEach(BenchmarkClient::startSending);
            Thread.sleep(warmup.toMillis());
            senders.forEach(client -> client.recordLatencies(true));
            String load = load();
            long ackedBefore = sum(senders, true);
            long deliveredBefore = sum(senders, false);
            long cpuBefore = OS.getProcessCpuTime();
            long started = System.nanoTime();
            Thread.sleep(measured.toMillis());
            long acked = sum(senders, true) - ackedBefore;
            long delivered = sum(senders, false) - deliveredBefore;
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuMicros = (OS.getProcessCpuTime() - cpuBefore) / 1e3;
            senders.forEach(BenchmarkClient::stopSending);
            long[] latencies = senders.stream().flatMapToLong(c -> Arrays.stream(c.latencies())).sorted().toArray();
            return new Result(acked / seconds, delivered / seconds, percentile(latencies, 0.5),
                    percentile(latencies, 0.99), cpuMicros / acked, load);
        } finally {
            senders.forEach(BenchmarkClient::close);
            if (telemetry instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("closing the SDK failed: " + e);
                }
            }
        }
    }

    /**
     * Medians over the rounds; "vs off" is the median of each round's ratio to that round's run without tracing,
     * so that a round the machine was busier for compares with itself.
     */
    private static void print(Map<String, List<Result>> results, int clients, boolean noDelay, Duration measured) {
        List<Result> off = results.get(OFF);
        System.out.printf("%n%d clients on 2 nodes, tcp-no-delay %s, %d s per run, %d runs per mode; medians, range"
                + " in brackets%n", clients, noDelay, measured.toSeconds(), off.size());
        System.out.println("| tracing | acked messages/s | vs off | deliveries/s | ack p50 | ack p99 "
                + "| JVM CPU per message | vs off |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((mode, runs) -> System.out.printf("| %s | %,.0f (%,.0f–%,.0f) | %+.1f %% | %,.0f "
                        + "| %.1f ms | %.1f ms | %.0f µs (%.0f–%.0f) | %+.1f %% |%n", mode,
                median(runs, Result::messagesPerSecond), min(runs, Result::messagesPerSecond),
                max(runs, Result::messagesPerSecond), versusOff(runs, off, Result::messagesPerSecond),
                median(runs, Result::deliveriesPerSecond), median(runs, Result::p50Millis),
                median(runs, Result::p99Millis), median(runs, Result::cpuMicrosPerMessage),
                min(runs, Result::cpuMicrosPerMessage), max(runs, Result::cpuMicrosPerMessage),
                versusOff(runs, off, Result::cpuMicrosPerMessage)));
    }

    /** The median over rounds of the change from the round's run without tracing, in percent. */
    private static double versusOff(List<Result> runs, List<Result> off, ToDoubleFunction<Result> value) {
        double[] ratios = new double[runs.size()];
        for (int round = 0; round < runs.size(); round++) {
            ratios[round] = value.applyAsDouble(runs.get(round)) / value.applyAsDouble(off.get(round));
        }
        return 100 * (median(ratios) - 1);
    }

    private static long sum(List<BenchmarkClient> clients, boolean acked) {
        return clients.stream().mapToLong(c -> acked ? c.acked() : c.delivered()).sum();
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)]
                / 1e6;
    }

    private static double median(List<Result> runs, ToDoubleFunction<Result> value) {
        return median(runs.stream().mapToDouble(value).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double min(List<Result> runs, ToDoubleFunction<Result> value) {
        return runs.stream().mapToDouble(value).min().orElse(Double.NaN);
    }

    private static double max(List<Result> runs, ToDoubleFunction<Result> value) {
        return runs.stream().mapToDouble(value).max().orElse(Double.NaN);
    }

    /** The load average of the last minute, to tell a quiet machine from a busy one. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * One measured run.
     *
     * @param messagesPerSecond   messages acked ok, per second, over all clients
     * @param deliveriesPerSecond messages received by clients, per second
     * @param p50Millis           median ack latency
     * @param p99Millis           99th percentile ack latency
     * @param cpuMicrosPerMessage CPU time of this JVM (nodes, clients, sink) per acked message
     * @param load                the machine's load average when the measurement began
     */
    record Result(double messagesPerSecond, double deliveriesPerSecond, double p50Millis, double p99Millis,
                  double cpuMicrosPerMessage, String load) {
        @Override
        public String toString() {
            return String.format("%,8.0f msg/s %,9.0f deliveries/s  ack p50 %.1f ms p99 %.1f ms  CPU %.0f µs/msg",
                    messagesPerSecond, deliveriesPerSecond, p50Millis, p99Millis, cpuMicrosPerMessage);
        }
    }
}
