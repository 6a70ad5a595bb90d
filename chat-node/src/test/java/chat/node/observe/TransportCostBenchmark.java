package chat.node.observe;

import chat.node.auth.TokenSigner;
import chat.node.observe.RoomLedger.Tally;
import chat.node.observe.TransportPhase.Transport;
import chat.node.support.NodeProcess;
import chat.stack.LocalStack;
import chat.stack.StackPorts;
import chat.stack.StackService;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * What a long-polling client costs a node next to a WebSocket client: one chat node in a JVM of its own (default
 * configuration: tracing at its default 10 % sampling with no exporter, metrics on), two populations of clients in
 * this JVM, each in rooms of 10 members of one transport whose first member sends. Phases alternate between the
 * populations (WebSocket, polling, polling, WebSocket, ...); in each, the senders of one population send together
 * at a fixed rate, spread evenly over time, while the other population stays connected and idle. Per phase it
 * reports the node process's CPU time per message and per delivery, the end-to-end latency of every copy (send
 * time written into the text, receipt, both in this JVM), the HTTP requests polling took, and whether every acked
 * message reached each member exactly once and in order.
 *
 * <p>Run with {@code ./mvnw -q -pl chat-node -Ptransport-benchmark test-compile exec:exec}; the properties
 * {@code benchmark.rate} (messages per second), {@code benchmark.rooms} (per transport), {@code benchmark.seconds},
 * {@code benchmark.warmup} and {@code benchmark.rounds} change the run.
 */
public final class TransportCostBenchmark {
    private static final int ROOM_SIZE = 10;
    private static final String SECRET = "transport-benchmark-secret-0123456789";
    /** How long the last messages of a phase may take to be acked and delivered everywhere. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private TransportCostBenchmark() {
    }

    /** A room of one transport: its books and how its sender emits. */
    private record Room(RoomLedger ledger, Consumer<String> sender) {
    }

    /** The rooms of one transport, their clients, and the polling ones among them for their request counts. */
    private record Population(Transport transport, List<Room> rooms, List<AutoCloseable> clients,
                              List<PollingClient> pollers) {
        long requests() {
            return pollers.stream().mapToLong(p -> p.polls() + p.posts()).sum();
        }

        long polls() {
            return pollers.stream().mapToLong(PollingClient::polls).sum();
        }

        long failed() {
            return pollers.stream().filter(p -> p.failure() != null).count();
        }
    }

    public static void main(String[] args) throws Exception {
        // Kafka's clients log their whole configuration at INFO.
        Logger.getLogger("").setLevel(Level.WARNING);
        int rate = Integer.getInteger("benchmark.rate", 200);
        int rooms = Integer.getInteger("benchmark.rooms", 20);
        Duration measured = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 20));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("benchmark.warmup", 30));
        int rounds = Integer.getInteger("benchmark.rounds", 3);
        Path folder = Files.createTempDirectory("transport-benchmark-");
        List<TransportPhase> phases = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(folder, false, StackPorts.anyFree(),
                EnumSet.of(StackService.REDIS, StackService.KAFKA));
             NodeProcess node = NodeProcess.start(Map.of(
                     "CHAT_NODE_ID", "node-1",
                     "CHAT_REDIS_URL", stack.redis().url(),
                     "CHAT_KAFKA_BOOTSTRAP", stack.kafka().bootstrap(),
                     "CHAT_AUTH_SECRET", SECRET,
                     // The benchmark sets the pace; the per-connection limit would only turn it into refusals.
                     "CHAT_LIMITS_RATEPERSECOND", "1000",
                     "CHAT_LIMITS_BURST", "2000"), folder.resolve("node.log"))) {
            System.out.printf("%s, %d processors, Java %s; node pid %d; %d rooms of %d per transport, %d msg/s "
                            + "(%d deliveries/s), %d s per phase%n", System.getProperty("os.name"),
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), node.pid(), rooms, ROOM_SIZE,
                    rate, rate * ROOM_SIZE, measured.toSeconds());
            phases.addAll(measure(node, rate, rooms, warmup, measured, rounds));
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        boolean exact = print(phases, rate, measured);
        System.exit(exact ? 0 : 1);
    }

    /** Connects both populations, warms the node up with each, then runs the rounds; returns the measured phases. */
    private static List<TransportPhase> measure(NodeProcess node, int rate, int rooms, Duration warmup,
                                                Duration measured, int rounds) throws InterruptedException {
        TokenSigner tokens = new TokenSigner(SECRET);
        List<Population> populations = List.of(connect(Transport.WEBSOCKET, node.port(), tokens, rooms),
                connect(Transport.POLLING, node.port(), tokens, rooms));
        List<TransportPhase> phases = new ArrayList<>();
        try {
            System.out.println(TransportPhase.HEADER);
            for (Population population : populations) {
                System.out.println(run(population, node, rate, warmup, 0));
            }
            for (int round = 1; round <= rounds; round++) {
                // WebSocket first in odd rounds, polling first in even ones, so neither always runs later.
                for (Population population : round % 2 == 1 ? populations : populations.reversed()) {
                    TransportPhase phase = run(population, node, rate, measured, round);
                    phases.add(phase);
                    System.out.println(phase);
                }
            }
            Duration idleBefore = node.cpuTime();
            Thread.sleep(IDLE.toMillis());
            System.out.printf("node idle for %d s, every client connected: %.3f cores%n", IDLE.toSeconds(),
                    node.cpuTime().minus(idleBefore).toNanos() / 1e9 / IDLE.toSeconds());
            return phases;
        } finally {
            populations.forEach(p -> p.clients().forEach(TransportCostBenchmark::closeQuietly));
        }
    }

    private static Population connect(Transport transport, int port, TokenSigner tokens, int rooms) {
        String prefix = transport == Transport.WEBSOCKET ? "ws" : "polling";
        List<Room> built = new ArrayList<>();
        List<AutoCloseable> clients = new ArrayList<>();
        List<PollingClient> pollers = new ArrayList<>();
        HttpClient http = PollingClient.http();
        for (int r = 0; r < rooms; r++) {
            RoomLedger ledger = new RoomLedger(prefix + "-" + r, ROOM_SIZE);
            Consumer<String> sender = null;
            for (int member = 0; member < ROOM_SIZE; member++) {
                int index = member;
                Consumer<String> events = packet -> ledger.onPacket(index, packet, System.nanoTime());
                String user = prefix + "-" + r + "-" + member;
                String token = tokens.issue(user, user, false, Duration.ofHours(1));
                Consumer<String> emit;
                if (transport == Transport.WEBSOCKET) {
                    BenchmarkClient client = BenchmarkClient.joined(port, token, ledger.room(), events);
                    clients.add(client);
                    emit = client::emit;
                } else {
                    PollingClient client = PollingClient.joined(http, port, token, ledger.room(), events);
                    clients.add(client);
                    pollers.add(client);
                    emit = client::emit;
                }
                sender = member == 0 ? emit : sender;
            }
            built.add(new Room(ledger, sender));
        }
        return new Population(transport, built, clients, pollers);
    }

    /** One phase: the population's senders send for {@code length}, then everything sent settles. */
    private static TransportPhase run(Population population, NodeProcess node, int rate, Duration length, int round)
            throws InterruptedException {
        population.rooms().forEach(room -> room.ledger().reset());
        long requests = population.requests();
        long polls = population.polls();
        String load = load();
        Duration nodeCpu = node.cpuTime();
        long clientCpu = OS.getProcessCpuTime();
        long started = System.nanoTime();
        pace(population.rooms(), rate, length);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!population.rooms().stream().allMatch(room -> room.ledger().settled())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double nodeSeconds = node.cpuTime().minus(nodeCpu).toNanos() / 1e9;
        double clientSeconds = (OS.getProcessCpuTime() - clientCpu) / 1e9;
        Tally tally = population.rooms().stream().map(room -> room.ledger().tally()).reduce(Tally.NONE, Tally::plus);
        return new TransportPhase(population.transport(), round, tally, seconds, nodeSeconds, clientSeconds,
                population.requests() - requests, population.polls() - polls, population.failed(), load);
    }

    /** Sends {@code rate} messages a second for {@code length}, taking the rooms in turn, each at its due time. */
    private static void pace(List<Room> rooms, int rate, Duration length) {
        long period = 1_000_000_000L / rate;
        long count = rate * length.toSeconds();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Room room = rooms.get((int) (i % rooms.size()));
            room.sender().accept(room.ledger().nextPacket());
        }
    }

    /** Prints each transport's measured phases added up; true if every delivery of every phase was exact. */
    private static boolean print(List<TransportPhase> phases, int rate, Duration measured) {
        System.out.printf("%n%d msg/s to rooms of %d (%,d deliveries/s), %d s per phase, %d phases per transport%n",
                rate, ROOM_SIZE, rate * ROOM_SIZE, measured.toSeconds(), phases.size() / Transport.values().length);
        System.out.println(TransportPhase.SUMMARY_HEADER);
        double webSocket = Double.NaN;
        for (Transport transport : Transport.values()) {
            List<TransportPhase> of = phases.stream().filter(p -> p.transport() == transport).toList();
            TransportPhase all = of.stream().reduce(TransportPhase::plus).orElseThrow();
            webSocket = transport == Transport.WEBSOCKET ? all.perDelivery() : webSocket;
            System.out.println(all.summary(of.stream().mapToDouble(TransportPhase::perDelivery).min().orElseThrow(),
                    of.stream().mapToDouble(TransportPhase::perDelivery).max().orElseThrow(), webSocket));
        }
        boolean exact = phases.stream().allMatch(p -> p.tally().exact() && p.failed() == 0);
        System.out.println(exact
                ? "Deliveries exact: every acked message reached each of its room's members once and in order; "
                + "none refused, lost or duplicated; no client failed."
                : "ASSERTION FAILED: a phase lost, duplicated, reordered or refused a message, or a client failed; "
                + "see the phases above.");
        return exact;
    }

    /** The load average of the last minute, to tell a quiet machine from a busy one. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(AutoCloseable client) {
        try {
            client.close();
        } catch (Exception e) {
            System.err.println("closing a client failed: " + e);
        }
    }
}
