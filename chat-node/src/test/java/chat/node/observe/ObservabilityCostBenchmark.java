package chat.node.observe;

import chat.common.telemetry.Tracing;
import chat.stack.LocalStack;
import chat.stack.StackPorts;
import chat.stack.StackService;

import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * processor, OTLP over HTTP) with its endpoint on a port where nothing listens, so spans are built, sampled,
 * batched and serialized, and their export fails; tracing off is {@link OpenTelemetry#noop()}. Metrics are on in
 * every run. Modes alternate over rounds, so a drift of the machine does not favour one of them.
 *
 * <p>Run with {@code ./mvnw -q -pl chat-node -Pobservability-benchmark test-compile exec:exec}; the properties
 * {@code benchmark.seconds}, {@code benchmark.warmup}, {@code benchmark.clients} and {@code benchmark.rounds}
 * change the run.
 */
public final class ObservabilityCostBenchmark {
    private static final int ROOM_SIZE = 4;
    /** Held, so the level stays: every export to the closed port fails, as intended, and would flood the output. */
    private static final Logger EXPORTER_LOG = Logger.getLogger("io.opentelemetry");
    private static final String OFF = "off (noop)";
    private static final Map<String, Double> MODES = new LinkedHashMap<>();

    static {
        MODES.put(OFF, 0.0);
        MODES.put("10 % sampled", 0.1);
        MODES.put("100 % sampled", 1.0);
    }

    private ObservabilityCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        EXPORTER_LOG.setLevel(Level.OFF);
        Duration measured = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 20));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("benchmark.warmup", 5));
        int clients = Integer.getInteger("benchmark.clients", 20);
        int rounds = Integer.getInteger("benchmark.rounds", 2);
        Path folder = Files.createTempDirectory("observability-benchmark-");
        try (LocalStack stack = LocalStack.start(folder, false, StackPorts.anyFree(),
                EnumSet.of(StackService.REDIS, StackService.KAFKA))) {
            String nowhere = "http://127.0.0.1:" + closedPort();
            System.out.printf("%s, %d processors, Java %s; warming up with one unrecorded run%n",
                    System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            run(stack, nowhere, 0.1, clients, warmup, measured.dividedBy(2));
            Map<String, List<Result>> results = new LinkedHashMap<>();
            List<String> order = new ArrayList<>(MODES.keySet());
            for (int round = 0; round < rounds; round++) {
                for (String mode : order) {
                    Result result = run(stack, nowhere, MODES.get(mode), clients, warmup, measured);
                    results.computeIfAbsent(mode, k -> new ArrayList<>()).add(result);
                    System.out.printf("round %d  %-14s %s  (load before: %s)%n", round + 1, mode, result,
                            result.load());
                }
                order = order.reversed();
            }
            print(results, clients, measured);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        System.exit(0);
    }

    private static Result run(LocalStack stack, String nowhere, double ratio, int clients, Duration warmup,
                              Duration measured) throws InterruptedException {
        OpenTelemetry telemetry = ratio == 0 ? OpenTelemetry.noop() : Tracing.start("chat-node", nowhere, ratio);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = Map.of(
                "chat.kafka.topics.messages", "bench-messages-" + run,
                "chat.kafka.topics.events", "bench-events-" + run,
                "chat.limits.ratepersecond", "1000000",
                "chat.limits.burst", "1000000");
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
            long started = System.nanoTime();
            Thread.sleep(measured.toMillis());
            long acked = sum(senders, true) - ackedBefore;
            long delivered = sum(senders, false) - deliveredBefore;
            double seconds = (System.nanoTime() - started) / 1e9;
            senders.forEach(BenchmarkClient::stopSending);
            long[] latencies = senders.stream().flatMapToLong(c -> Arrays.stream(c.latencies())).sorted().toArray();
            return new Result(acked / seconds, delivered / seconds, percentile(latencies, 0.5),
                    percentile(latencies, 0.99), load);
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

    private static void print(Map<String, List<Result>> results, int clients, Duration measured) {
        double baseline = median(results.get(OFF), Result::messagesPerSecond);
        System.out.printf("%n%d clients on 2 nodes, %d s per run, %d runs per mode; medians, range in brackets%n",
                clients, measured.toSeconds(), results.get(OFF).size());
        System.out.println("| tracing | acked messages/s | deliveries/s | ack p50 | ack p99 | messages/s vs off |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        results.forEach((mode, runs) -> {
            double messages = median(runs, Result::messagesPerSecond);
            System.out.printf("| %s | %,.0f (%,.0f–%,.0f) | %,.0f | %.1f ms | %.1f ms | %+.1f %% |%n", mode, messages,
                    min(runs, Result::messagesPerSecond), max(runs, Result::messagesPerSecond),
                    median(runs, Result::deliveriesPerSecond), median(runs, Result::p50Millis),
                    median(runs, Result::p99Millis), 100 * (messages / baseline - 1));
        });
    }

    private static long sum(List<BenchmarkClient> clients, boolean acked) {
        return clients.stream().mapToLong(c -> acked ? c.acked() : c.delivered()).sum();
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)]
                / 1e6;
    }

    private static double median(List<Result> runs, ToDoubleFunction<Result> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
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

    /** A port nothing listens on, for an OTLP endpoint that refuses every export. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * One measured run.
     *
     * @param messagesPerSecond   messages acked ok, per second, over all clients
     * @param deliveriesPerSecond messages received by clients, per second
     * @param p50Millis           median ack latency
     * @param p99Millis           99th percentile ack latency
     * @param load                the machine's load average when the measurement began
     */
    record Result(double messagesPerSecond, double deliveriesPerSecond, double p50Millis, double p99Millis,
                  String load) {
        @Override
        public String toString() {
            return String.format("%,8.0f msg/s %,9.0f deliveries/s  ack p50 %.1f ms p99 %.1f ms",
                    messagesPerSecond, deliveriesPerSecond, p50Millis, p99Millis);
        }
    }
}
