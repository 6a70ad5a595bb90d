package chat.loadtest.scaling;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.GeneratorRun;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.measure.ConnectionsSummary;
import chat.loadtest.measure.CpuSampler;
import chat.loadtest.measure.RoomChatSummary;
import chat.stack.LocalStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scaling run: Redis, Kafka and PostgreSQL as local processes, then
 * <ol>
 * <li>cost runs: at one fixed total load, N = 1, 2, 4, 8 uncapped chat nodes, each in a JVM of its own pinned to a
 * core, with rooms sharded and spread, measuring the CPU every process spends per message; one node also runs at
 * each larger cluster's per-node rate, and the same load is also sent from Gatling, to compare the two load
 * generators;</li>
 * <li>the same cost runs against the Socket.IO baseline with its classic and its sharded Redis adapter;</li>
 * <li>capacity searches of 1, 2 and 4 chat nodes under the same CPU cap;</li>
 * <li>optionally, idle sockets on one node for memory per connection;</li>
 * </ol>
 * then a Universal Scalability Law fit of the cost runs. Writes {@code load-tests/target/scaling/} (report, JSON,
 * plot) and its section of BENCHMARKS.md.
 *
 * <p>Run by {@code load-tests/scaling-run.sh}, which builds what it needs first.
 */
public final class ScalingRun {

    private static final String CONNECTIONS = "chat.loadtest.simulation.ConnectionsSimulation";
    private static final Duration STEP_OVERHEAD = Duration.ofMinutes(2);
    /** Messages per second per node in the warm-up, at one CPU per node: well within what a node then handles. */
    private static final double WARMUP_RATE_PER_NODE = 300;
    private static final String SHARDED = "sharded";
    private static final String SPREAD = "spread";

    private final ScalingPlan plan;
    private final Path out;
    private final CpuCaps caps;
    private final CpuCaps.Group support;
    private final ClusterSettings cluster;
    private final LoadSteps steps;
    /** The core every capped node runs on, or -1 to deal them over the cores. */
    private int nodeCore = -1;

    private ScalingRun(ScalingPlan plan, Path out, CpuCaps caps, CpuCaps.Group support, ClusterSettings cluster,
                       LoadSteps steps) {
        this.plan = plan;
        this.out = out;
        this.caps = caps;
        this.support = support;
        this.cluster = cluster;
        this.steps = steps;
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
            // This JVM samples every process's CPU: starved by a saturated machine, it would miss a whole window.
            support.add(ProcessHandle.current().pid());
            sampler.track("redis", () -> List.of(processes.redis()));
            sampler.track("kafka", () -> List.of(processes.kafka()));
            sampler.track("postgres", () -> CpuSampler.withDescendants(processes.postmaster()));
            ClusterSettings cluster = new ClusterSettings(stack.redis().url(), stack.kafka().bootstrap(),
                    stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password(), secret());
            LoadSteps steps = new LoadSteps(plan, out, sampler, support, cluster);
            ScalingRun run = new ScalingRun(plan, out, caps, support, cluster, steps);

            List<CostResult> cost = new ArrayList<>();
            List<StepResult> gatling = new ArrayList<>();
            for (int nodes : plan.costNodeCounts()) {
                cost.addAll(run.costRuns(ServerKind.CHAT_NODE, jar, nodes, gatling));
            }
            if (plan.socketIo()) {
                for (ServerKind adapter : List.of(ServerKind.SOCKET_IO, ServerKind.SOCKET_IO_SHARDED)) {
                    for (int nodes : plan.costNodeCounts()) {
                        cost.addAll(run.costRuns(adapter, baseline, nodes, gatling));
                    }
                }
            }
            List<FleetResult> capacity = new ArrayList<>();
            if (!plan.nodeCounts().isEmpty()) {
                run.separateNodesFromSupport(processes);
            }
            for (int nodes : plan.nodeCounts()) {
                double hint = capacity.isEmpty() ? plan.startRate() * nodes
                        : 0.85 * nodes * capacity.getFirst().capacity();
                capacity.add(run.searchCapacity(jar, nodes, hint));
            }
            Optional<ConnectionsSummary> connections = plan.connections() > 0
                    ? Optional.of(run.measureConnections(jar)) : Optional.empty();
            Duration took = Duration.ofMillis(System.currentTimeMillis() - started);
            ScalingReport report = new ScalingReport(plan, cost, gatling.stream().findFirst(), capacity, connections,
                    caps.enabled(), took);
            report.write(out, checkout.resolve("BENCHMARKS.md"));
            System.out.println(report.summaryText());
        }
    }

    /**
     * N uncapped nodes at the fixed total load: a warm-up, then one measured step per placement (one only at N = 1,
     * where both are the same), and at N = 1 of the chat node the same load from Gatling, added to {@code gatling}.
     */
    private List<CostResult> costRuns(ServerKind kind, Path app, int nodes, List<StepResult> gatling) {
        System.out.printf("%n== cost: %s × %d, uncapped, %.0f msg/s ==%n", kind.label(), nodes, plan.costRate());
        List<CostResult> results = new ArrayList<>();
        try (Fleet fleet = Fleet.start(kind, nodes, 0, caps, app, cluster, out.resolve("logs"))) {
            steps.track(fleet);
            // V8 compiles the baseline's few hot functions within seconds. A JVM needs the longer warm-up, and N of
            // them compile at once on the same cores, each at 1/N of the load, so it grows with N.
            int warmup = kind == ServerKind.CHAT_NODE ? plan.warmupSeconds() * Math.max(1, nodes / 2)
                    : plan.warmupSeconds() / 2;
            System.out.println("warm-up: " + steps.run(fleet, new LoadStep(LoadStep.Generator.WIRE, plan.costUsers(),
                    SPREAD, plan.costRate(), 0, warmup)).oneLine());
            if (kind == ServerKind.CHAT_NODE && nodes > 1) {
                // The first minute after a warm-up on many fresh JVMs still carries their late compilations: one
                // unmeasured step at the measured load, so that neither placement pays for them.
                System.out.println("settling: " + steps.run(fleet, costLoad(LoadStep.Generator.WIRE, SHARDED))
                        .oneLine());
            }
            if (kind == ServerKind.CHAT_NODE && nodes == 1 && plan.compareGenerators()) {
                gatling.add(steps.measure(fleet, costLoad(LoadStep.Generator.GATLING, SHARDED)));
            }
            List<String> placements = kind == ServerKind.CHAT_NODE && nodes > 1 ? List.of(SHARDED, SPREAD)
                    : List.of(SHARDED);
            for (String placement : placements) {
                StepResult step = steps.measure(fleet, costLoad(LoadStep.Generator.WIRE, placement));
                results.add(new CostResult(kind.label(), nodes, placement, plan.costRate(), step));
            }
            if (nodes == 1 && kind == ServerKind.CHAT_NODE) {
                // One node at the per-node rate of each larger cluster: what a node costs at that rate by itself,
                // so that a cluster's cost can be split into the lower rate's and the cluster's own.
                for (int larger : plan.costNodeCounts()) {
                    if (larger > 1) {
                        LoadStep reference = costLoad(LoadStep.Generator.WIRE, SHARDED).at(plan.costRate() / larger);
                        results.add(new CostResult(kind.label(), 1, SHARDED, reference.rate(),
                                steps.measure(fleet, reference)));
                    }
                }
            }
            steps.untrack(fleet);
        }
        return results;
    }

    private LoadStep costLoad(LoadStep.Generator generator, String placement) {
        return new LoadStep(generator, plan.costUsers(), placement, plan.costRate(), plan.leadSeconds(),
                plan.sendSeconds());
    }

    /**
     * For the capacity searches, the capped nodes get the last core to themselves and everything else (Redis,
     * Kafka, PostgreSQL, the load generator, this JVM) the other cores, so that the latency a capped node shows is
     * its own, not the support processes' claim on its core. Needs two cores or more.
     */
    private void separateNodesFromSupport(StackProcesses processes) {
        int cores = MachineInfo.cores();
        if (cores < 2 || !caps.enabled()) {
            nodeCore = -1;
            return;
        }
        nodeCore = cores - 1;
        String others = cores == 2 ? "0" : "0-" + (cores - 2);
        List<Long> pids = new ArrayList<>(processes.all());
        pids.addAll(CpuSampler.withDescendants(processes.postmaster()));
        pids.add(ProcessHandle.current().pid());
        for (long pid : pids) {
            try {
                new ProcessBuilder("taskset", "-a", "-p", "-c", others, Long.toString(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("taskset is needed to pin the support processes", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        steps.generatorsIn(caps.group("support-pinned", 0, 0));
    }

    private FleetResult searchCapacity(Path jar, int nodes, double startRate) {
        System.out.printf("%n== capacity: chat node × %d, %.2f CPU each ==%n", nodes, plan.cpuPerNode());
        try (Fleet fleet = Fleet.start(ServerKind.CHAT_NODE, nodes, Math.max(1, plan.cpuPerNode()), nodeCore, caps,
                jar, cluster, out.resolve("logs"))) {
            steps.track(fleet);
            int users = plan.usersPerNode() * nodes;
            LoadStep load = new LoadStep(LoadStep.Generator.WIRE, users, plan.placement(), startRate,
                    plan.leadSeconds() / 2, plan.sendSeconds());
            // A long-running node has compiled its hot paths; a fresh one under a fraction of a CPU would spend
            // minutes on it, and compiles only what it ran, so each node gets a good share of traffic first.
            RoomChatSummary warmup = steps.run(fleet, new LoadStep(load.generator(), users, load.placement(),
                    Math.max(startRate, WARMUP_RATE_PER_NODE * nodes), 0, plan.warmupSeconds()));
            System.out.println("warm-up (one CPU per node): " + warmup.oneLine());
            fleet.limit(plan.cpuPerNode());
            // The first seconds under the cap still pay for the warm-up's late compilations and garbage.
            RoomChatSummary settle = steps.run(fleet, new LoadStep(load.generator(), users, load.placement(),
                    startRate * 0.5, 0, plan.warmupSeconds() / 2));
            System.out.println("settling (capped): " + settle.oneLine());
            List<StepResult> results = new CapacitySearch(plan.stepFactor(), plan.refinements(), plan.maxSteps())
                    .run(startRate, rate -> steps.measure(fleet, load.at(rate)));
            steps.untrack(fleet);
            return new FleetResult(ServerKind.CHAT_NODE.label(), nodes, plan.cpuPerNode(), results);
        }
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
