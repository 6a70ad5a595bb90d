package chat.loadtest.scaling;

import chat.loadtest.cluster.Checkout;
import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CoreSplit;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.GeneratorRun;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.cluster.StackProcesses;
import chat.loadtest.measure.ConnectionsSummary;
import chat.loadtest.measure.CpuSampler;
import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.report.MachineInfo;
import chat.stack.LocalStack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** Users arriving per second: every step's sockets are in within a few seconds. */
    private static final int ARRIVAL_RATE = 100;
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

    public static void main(String[] args) {
        ScalingPlan plan = ScalingPlan.fromSystemProperties();
        Checkout checkout = Checkout.locate();
        Path out = checkout.emptyOutput("scaling");
        Path jar = Checkout.copyChatNode(checkout.chatNodeJar(), out.resolve("app"));
        Path baseline = checkout.socketIoBaseline();
        long started = System.currentTimeMillis();

        try (CpuCaps caps = CpuCaps.create("chat-load");
             CpuSampler sampler = new CpuSampler();
             LocalStack stack = LocalStack.start(out.resolve("stack"), false)) {
            CpuCaps.Group support = caps.group("support", 0);
            StackProcesses processes = StackProcesses.supported(out.resolve("stack"), support, sampler);
            ClusterSettings cluster = ClusterSettings.of(stack);
            LoadSteps steps = new LoadSteps(out, sampler, support, cluster, plan.p99Millis(), plan.maxErrorPercent(),
                    ARRIVAL_RATE);
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
            report.write(out, checkout.benchmarks());
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
                    plan.roomSize(), SPREAD, plan.costRate(), 0, warmup)).oneLine());
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
        return new LoadStep(generator, plan.costUsers(), plan.roomSize(), placement, plan.costRate(),
                plan.leadSeconds(), plan.sendSeconds());
    }

    /**
     * For the capacity searches, the capped nodes get the last core to themselves and everything else (Redis,
     * Kafka, PostgreSQL, the load generator, this JVM) the other cores, so that the latency a capped node shows is
     * its own, not the support processes' claim on its core. Needs two cores or more.
     */
    private void separateNodesFromSupport(StackProcesses processes) {
        CoreSplit split = CoreSplit.of(MachineInfo.cores(), caps.enabled());
        split.pinSupport(processes);
        if (split.pinned()) {
            steps.generatorsIn(split.generators(caps));
        }
        nodeCore = split.nodeCore();
    }

    private FleetResult searchCapacity(Path jar, int nodes, double startRate) {
        System.out.printf("%n== capacity: chat node × %d, %.2f CPU each ==%n", nodes, plan.cpuPerNode());
        try (Fleet fleet = Fleet.start(ServerKind.CHAT_NODE, nodes, Math.max(1, plan.cpuPerNode()), nodeCore, caps,
                jar, cluster, out.resolve("logs"))) {
            steps.track(fleet);
            int users = plan.usersPerNode() * nodes;
            LoadStep load = new LoadStep(LoadStep.Generator.WIRE, users, plan.roomSize(), plan.placement(),
                    startRate, plan.leadSeconds() / 2, plan.sendSeconds());
            // A long-running node has compiled its hot paths; a fresh one under a fraction of a CPU would spend
            // minutes on it, and compiles only what it ran, so each node gets a good share of traffic first.
            RoomChatSummary warmup = steps.run(fleet, load.unmeasured(
                    Math.max(startRate, WARMUP_RATE_PER_NODE * nodes), plan.warmupSeconds()));
            System.out.println("warm-up (one CPU per node): " + warmup.oneLine());
            fleet.limit(plan.cpuPerNode());
            // The first seconds under the cap still pay for the warm-up's late compilations and garbage.
            RoomChatSummary settle = steps.run(fleet, load.unmeasured(startRate * 0.5,
                    plan.warmupSeconds() / 2));
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
}
