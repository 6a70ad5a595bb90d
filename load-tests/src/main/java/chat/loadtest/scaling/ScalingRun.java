package chat.loadtest.scaling;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.GeneratorRun;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.cluster.ServerProcess;
import chat.loadtest.measure.ConnectionsSummary;
import chat.loadtest.measure.CpuSampler;
import chat.loadtest.measure.RoomChatSummary;
import chat.stack.LocalStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scaling run: Redis, Kafka and PostgreSQL as local processes, then for each cluster size N chat nodes in JVMs
 * of their own, each under the same CPU cap, a capacity search with the RoomChat simulation, the same for two
 * Socket.IO baseline nodes, and idle sockets on one node for memory per connection. Writes
 * {@code load-tests/target/scaling/} (report, JSON, plot) and its section of BENCHMARKS.md.
 *
 * <p>Run by {@code load-tests/scaling-run.sh}, which builds what it needs first.
 */
public final class ScalingRun {

    private static final String ROOM_CHAT = "chat.loadtest.simulation.RoomChatSimulation";
    private static final String CONNECTIONS = "chat.loadtest.simulation.ConnectionsSimulation";
    /** Users arriving per second: every step's sockets are in within a few seconds. */
    private static final int ARRIVAL_RATE = 100;
    private static final Duration STEP_OVERHEAD = Duration.ofMinutes(2);
    /** Messages per second per node in the warm-up, at one CPU per node: well within what a node then handles. */
    private static final double WARMUP_RATE_PER_NODE = 300;

    private final ScalingPlan plan;
    private final Path out;
    private final CpuSampler sampler;
    private final CpuCaps caps;
    private final CpuCaps.Group support;
    private final ClusterSettings cluster;
    private int stepNumber;

    private ScalingRun(ScalingPlan plan, Path out, CpuSampler sampler, CpuCaps caps, CpuCaps.Group support,
                       ClusterSettings cluster) {
        this.plan = plan;
        this.out = out;
        this.sampler = sampler;
        this.caps = caps;
        this.support = support;
        this.cluster = cluster;
    }

    public static void main(String[] args) throws IOException {
        ScalingPlan plan = ScalingPlan.fromSystemProperties();
        Path checkout = checkout();
        Path out = checkout.resolve("load-tests/target/scaling");
        deleteRecursively(out);
        Files.createDirectories(out);
        Path jar = copyChatNode(Path.of(System.getProperty("chatNodeJar",
                checkout.resolve("chat-node/target/chat-node.jar").toString())), out.resolve("app"));
        Path baseline = checkout.resolve("load-tests/baseline");
        long started = System.currentTimeMillis();

        try (CpuCaps caps = CpuCaps.create("chat-load");
             CpuSampler sampler = new CpuSampler();
             LocalStack stack = LocalStack.start(out.resolve("stack"), false)) {
            CpuCaps.Group support = caps.group("support", 0);
            StackProcesses processes = StackProcesses.find(out.resolve("stack"));
            processes.all().forEach(support::add);
            sampler.track("redis", () -> List.of(processes.redis()));
            sampler.track("kafka", () -> List.of(processes.kafka()));
            sampler.track("postgres", () -> CpuSampler.withDescendants(processes.postmaster()));
            ClusterSettings cluster = new ClusterSettings(stack.redis().url(), stack.kafka().bootstrap(),
                    stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password(), secret());
            ScalingRun run = new ScalingRun(plan, out, sampler, caps, support, cluster);

            List<FleetResult> chat = new ArrayList<>();
            for (int nodes : plan.nodeCounts()) {
                double hint = chat.isEmpty() ? plan.startRate() * nodes
                        : 0.8 * nodes * chat.getFirst().capacity() / chat.getFirst().nodes();
                chat.add(run.searchCapacity(ServerKind.CHAT_NODE, jar, nodes, hint));
            }
            Optional<FleetResult> socketIo = Optional.empty();
            if (plan.baseline()) {
                double hint = chat.stream().filter(r -> r.nodes() == 2).findFirst()
                        .map(r -> r.capacity() * 0.5).orElse(plan.startRate() * 2);
                socketIo = Optional.of(run.searchCapacity(ServerKind.SOCKET_IO, baseline, 2, hint));
            }
            Optional<ConnectionsSummary> connections = plan.connections() > 0
                    ? Optional.of(run.measureConnections(jar)) : Optional.empty();
            Duration took = Duration.ofMillis(System.currentTimeMillis() - started);
            ScalingReport report = new ScalingReport(plan, chat, socketIo, connections, caps.enabled(), took);
            report.write(out, checkout.resolve("BENCHMARKS.md"));
            System.out.println(report.summaryText());
        }
    }

    private FleetResult searchCapacity(ServerKind kind, Path app, int nodes, double startRate) {
        System.out.printf("%n== %s × %d, %.2f CPU each ==%n", kind.label(), nodes, plan.cpuPerNode());
        try (Fleet fleet = Fleet.start(kind, nodes, Math.max(1, plan.cpuPerNode()), caps, app, cluster,
                out.resolve("logs"))) {
            for (ServerProcess server : fleet.servers()) {
                sampler.track(server.name(), () -> List.of(server.pid()));
            }
            // A long-running node has compiled its hot paths; a fresh one under a fraction of a CPU would spend
            // minutes on it, and compiles only what it ran, so each node gets a good share of traffic first.
            RoomChatSummary warmup = roomChat(fleet, Math.max(startRate, WARMUP_RATE_PER_NODE * nodes),
                    plan.warmupSeconds());
            System.out.println("warm-up (one CPU per node): " + warmup.oneLine());
            fleet.limit(plan.cpuPerNode());
            // The first minutes under the cap still pay for the warm-up's late compilations and garbage.
            RoomChatSummary settle = roomChat(fleet, startRate * 0.5, plan.warmupSeconds() / 2);
            System.out.println("settling (capped): " + settle.oneLine());
            List<StepResult> steps = new CapacitySearch(plan.stepFactor(), plan.refinements(), plan.maxSteps())
                    .run(startRate, rate -> step(fleet, rate));
            fleet.servers().forEach(server -> sampler.untrack(server.name()));
            return new FleetResult(kind.label(), nodes, plan.cpuPerNode(), steps);
        }
    }

    private StepResult step(Fleet fleet, double rate) {
        List<CpuCaps.Throttling> before = fleet.groups().stream()
                .map(CpuCaps.Group::throttling).toList();
        RoomChatSummary summary = roomChat(fleet, rate, plan.sendSeconds());
        List<CpuCaps.Group> groups = fleet.groups();
        List<Double> throttled = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            throttled.add(groups.get(i).throttling().minus(before.get(i)).throttledShare());
        }
        long from = summary.windowStart();
        long to = summary.windowEnd();
        StepResult result = new StepResult(rate, summary,
                fleet.servers().stream().map(server -> sampler.cpus(server.name(), from, to)).toList(), throttled,
                sampler.cpus("redis", from, to), sampler.cpus("kafka", from, to),
                sampler.cpus("postgres", from, to), sampler.cpus("gatling", from, to),
                sampler.cpus(CpuSampler.MACHINE, from, to));
        System.out.println(result.oneLine());
        return result;
    }

    private RoomChatSummary roomChat(Fleet fleet, double rate, int sendSeconds) {
        int users = plan.usersPerNode() * fleet.servers().size();
        String name = String.format("step-%02d", ++stepNumber);
        Path summaryFile = out.resolve("steps").resolve(name + ".json");
        Map<String, String> properties = new HashMap<>(Map.of(
                "wsBaseUrls", fleet.wsBaseUrls(),
                "users", Integer.toString(users),
                "roomSize", Integer.toString(plan.roomSize()),
                "placement", plan.placement(),
                "ratePerUser", Double.toString(rate / users),
                "sendSeconds", Integer.toString(sendSeconds),
                "arrivalRate", Integer.toString(ARRIVAL_RATE),
                "authSecret", cluster.authSecret(),
                "summaryFile", summaryFile.toString(),
                "runTag", name.replace("-", "")));
        properties.put("p99Millis", Double.toString(plan.p99Millis()));
        properties.put("maxErrorPercent", Double.toString(plan.maxErrorPercent()));
        Duration timeout = Duration.ofSeconds(sendSeconds + users / ARRIVAL_RATE).plus(STEP_OVERHEAD);
        GeneratorRun.gatling(ROOM_CHAT, properties, out.resolve("gatling"), false).run(support,
                out.resolve("steps").resolve(name + ".log"), timeout,
                pid -> sampler.track("gatling", () -> CpuSampler.withDescendants(pid)));
        sampler.untrack("gatling");
        return RoomChatSummary.read(summaryFile);
    }

    /** Idle sockets on one chat node (capped at one CPU so the ramp is quick; memory does not depend on it). */
    private ConnectionsSummary measureConnections(Path jar) {
        System.out.printf("%n== %d idle sockets on one chat node ==%n", plan.connections());
        try (Fleet fleet = Fleet.start(ServerKind.CHAT_NODE, 1, 1, caps, jar, cluster, out.resolve("logs"))) {
            Path summaryFile = out.resolve("connections.json");
            Map<String, String> properties = Map.of(
                    "wsBaseUrls", fleet.wsBaseUrls(),
                    "nodePids", Long.toString(fleet.servers().getFirst().pid()),
                    "connections", Integer.toString(plan.connections()),
                    "arrivalRate", "250",
                    "holdSeconds", "10",
                    "authSecret", cluster.authSecret(),
                    "summaryFile", summaryFile.toString());
            GeneratorRun.gatling(CONNECTIONS, properties, out.resolve("gatling"), false).run(support,
                    out.resolve("connections.log"), STEP_OVERHEAD.multipliedBy(2), pid -> { });
            return ConnectionsSummary.read(summaryFile);
        }
    }

    /** Copies the chat node's jar and its libs, so that a rebuild of the checkout cannot pull them from under it. */
    private static Path copyChatNode(Path jar, Path dir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw -q -DskipTests install");
        }
        Files.createDirectories(dir.resolve("libs"));
        try (Stream<Path> libs = Files.list(jar.getParent().resolve("libs"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String secret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static Path checkout() {
        String configured = System.getProperty("chat.checkout", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("load-tests")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run from the checkout, or set -Dchat.checkout");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
