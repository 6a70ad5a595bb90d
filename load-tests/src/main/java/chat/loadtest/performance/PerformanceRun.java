package chat.loadtest.performance;

import chat.loadtest.cluster.Checkout;
import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CoreSplit;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.cluster.StackProcesses;
import chat.loadtest.measure.CpuSampler;
import chat.loadtest.report.MachineInfo;
import chat.loadtest.scaling.LoadSteps;
import chat.stack.LocalStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The performance run: one node's efficiency and latency, for a chat node built before a change, the current one and
 * the Socket.IO baseline, in the same run so that their ratios carry less of the machine's noise. Redis, Kafka and
 * PostgreSQL run as local processes; each server in turn runs as one node alone on the last core, with everything else
 * on the others; for each room shape it gets an uncapped warm-up, an unmeasured settling step under the node's CPU
 * cap, a ladder of growing rates under the cap until a step fails, and an uncapped step at half of one core's
 * capacity ({@link HalfCapacity}). The cap is there so that the node, not the core the load generator, Redis and Kafka
 * share, gives out first. Writes {@code load-tests/target/performance/} (report, JSON, every step's summary and log)
 * and its section of BENCHMARKS.md.
 *
 * <p>Run by {@code load-tests/performance-run.sh}, which builds what it needs first.
 */
public final class PerformanceRun {

    private final PerformancePlan plan;
    private final Path out;
    private final CpuCaps caps;
    private final ClusterSettings cluster;
    private final LoadSteps steps;
    private final CoreSplit split;
    private final NodeCap nodeCap;
    private boolean stackWarm;

    private PerformanceRun(PerformancePlan plan, Path out, CpuCaps caps, ClusterSettings cluster, LoadSteps steps,
                           CoreSplit split, NodeCap nodeCap) {
        this.plan = plan;
        this.out = out;
        this.caps = caps;
        this.cluster = cluster;
        this.steps = steps;
        this.split = split;
        this.nodeCap = nodeCap;
    }

    public static void main(String[] args) {
        PerformancePlan plan = PerformancePlan.fromSystemProperties();
        Checkout checkout = Checkout.locate();
        Path out = checkout.emptyOutput("performance");
        List<ServerUnderTest> servers = servers(plan, checkout, out.resolve("app"));
        long started = System.currentTimeMillis();

        try (CpuCaps caps = CpuCaps.create("chat-load");
             CpuSampler sampler = new CpuSampler();
             LocalStack stack = LocalStack.start(out.resolve("stack"), false)) {
            CpuCaps.Group support = caps.group("support", 0);
            StackProcesses processes = StackProcesses.supported(out.resolve("stack"), support, sampler);
            CoreSplit split = CoreSplit.of(MachineInfo.cores(), caps.enabled());
            split.pinSupport(processes);
            ClusterSettings cluster = ClusterSettings.of(stack);
            NodeCap nodeCap = plan.nodeCap(caps.enabled());
            if (plan.nodeCap(true).capped() && !nodeCap.capped()) {
                System.out.printf("No CPU caps on this machine: the ladders run uncapped, not at %.2f CPU%n",
                        plan.nodeCpu());
            }
            LoadSteps steps = new LoadSteps(out, sampler, split.pinned() ? split.generators(caps) : support, cluster,
                    plan.p99Millis(), plan.maxErrorPercent(), nodeCap.arrivalRate(plan.arrivalRate()));
            PerformanceRun run = new PerformanceRun(plan, out, caps, cluster, steps, split, nodeCap);

            List<LadderResult> ladders = new ArrayList<>();
            for (ServerUnderTest server : servers) {
                ladders.addAll(run.measure(server));
            }
            Duration took = Duration.ofMillis(System.currentTimeMillis() - started);
            PerformanceReport report = new PerformanceReport(
                    new PerformanceResults(plan, servers, ladders, split.pinned(), nodeCap, took),
                    ("load-tests/performance-run.sh " + PerformancePlan.options()).trim(),
                    System.getProperty("chat.revision", "unknown"));
            report.write(out, checkout.benchmarks());
            System.out.println(report.summaryText());
            System.out.printf("The performance run took %d min %d s; report in %s%n", took.toMinutes(),
                    took.toSecondsPart(), out.resolve("report.md"));
        }
    }

    /** The servers to measure, in order: before (when given), current, Socket.IO (unless turned off). */
    private static List<ServerUnderTest> servers(PerformancePlan plan, Checkout checkout, Path apps) {
        List<ServerUnderTest> servers = new ArrayList<>();
        if (!plan.beforeJar().isEmpty()) {
            Path jar = Path.of(plan.beforeJar()).toAbsolutePath();
            servers.add(new ServerUnderTest(ServerUnderTest.BEFORE, ServerKind.CHAT_NODE,
                    Checkout.copyChatNode(jar, apps.resolve(ServerUnderTest.BEFORE)), chatNode(jar, checkout)));
        }
        Path current = checkout.chatNodeJar().toAbsolutePath();
        servers.add(new ServerUnderTest(ServerUnderTest.CURRENT, ServerKind.CHAT_NODE,
                Checkout.copyChatNode(current, apps.resolve(ServerUnderTest.CURRENT)), chatNode(current, checkout)));
        if (plan.socketIo()) {
            servers.add(new ServerUnderTest(ServerUnderTest.SOCKET_IO, ServerKind.SOCKET_IO,
                    checkout.socketIoBaseline(), "the Socket.IO 4 baseline (`load-tests/baseline/`) with its classic "
                    + "Redis adapter"));
        }
        return List.copyOf(servers);
    }

    /** A chat node's jar as the report names it: where it is, and when it was built. */
    private static String chatNode(Path jar, Checkout checkout) {
        Path shown = jar.startsWith(checkout.root()) ? checkout.root().relativize(jar) : jar;
        try {
            LocalDateTime built = LocalDateTime.ofInstant(Files.getLastModifiedTime(jar).toInstant(),
                    ZoneId.systemDefault()).truncatedTo(ChronoUnit.MINUTES);
            return "chat node from `" + shown + "` (built " + built.toString().replace('T', ' ') + ")";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }

    /** One server, started once, through every shape. */
    private List<LadderResult> measure(ServerUnderTest server) {
        List<LadderResult> results = new ArrayList<>();
        try (Fleet fleet = Fleet.start(server.kind(), 1, 0, split.nodeCore(), caps, server.app(), cluster,
                out.resolve("logs").resolve(server.name()))) {
            steps.track(fleet);
            for (RoomShape shape : plan.shapes()) {
                results.add(climb(server, fleet, shape));
            }
            steps.untrack(fleet);
        }
        return results;
    }

    /**
     * An uncapped warm-up, an unmeasured settling step under the node's cap, the ladder under it, and the uncapped
     * step at half capacity.
     */
    private LadderResult climb(ServerUnderTest server, Fleet fleet, RoomShape shape) {
        System.out.printf("%n== %s, %s, %d users, from %.0f msg/s, node %s ==%n", server.name(), shape.label(),
                shape.users(), shape.startRate(), nodeCap.label());
        // V8 compiles the baseline's few hot functions within seconds; a JVM needs the longer warm-up.
        int warmup = server.kind() == ServerKind.CHAT_NODE ? plan.warmupSeconds() : plan.warmupSeconds() / 2;
        int settle = Math.max(1, warmup / 2);
        if (!stackWarm) {
            warmup += plan.stackWarmupSeconds();
            stackWarm = true;
        }
        // Uncapped, at the load the first step puts on the cap scaled to the whole core: under the cap the JIT would
        // still be compiling in the measured steps, and it compiles only the paths it has run.
        double warmupRate = shape.startRate() / nodeCap.ceiling();
        System.out.println("warm-up (uncapped): " + steps.run(fleet, shape.load(warmupRate, 0, warmup)).oneLine());
        fleet.limit(nodeCap.cpus());
        if (nodeCap.capped()) {
            // The first seconds under the cap still pay for the warm-up's late compilations, which run on the
            // node's own quota: a light unmeasured step lets them finish before the first measured one.
            System.out.println("settling (capped): " + steps.run(fleet, shape.load(shape.startRate() / 2, 0, settle))
                    .oneLine());
        }
        List<LadderStep> ladder = new RateLadder(plan.stepFactor(), plan.maxSteps())
                .climb(shape.startRate(), rate -> measured(fleet, shape, rate));
        // Latency is read uncapped: CFS throttling under a cap would dominate a p99, and the target is for one core.
        fleet.limit(0);
        Optional<HalfCapacity> half = HalfCapacity.of(ladder,
                Saturation.find(ladder, nodeCap.saturatedCpus(plan.saturatedShare())), nodeCap);
        half.ifPresent(rate -> System.out.printf("half capacity (uncapped), %.0f msg/s: %s%n", rate.rate(),
                rate.reason()));
        LadderStep step = half.map(rate -> measured(fleet, shape, rate.rate())).orElse(null);
        return new LadderResult(server.name(), shape, ladder, step, half.map(HalfCapacity::reason).orElse(""));
    }

    private LadderStep measured(Fleet fleet, RoomShape shape, double rate) {
        LadderStep step = LadderStep.judge(rate, plan.leadSeconds() + plan.sendSeconds(),
                steps.measure(fleet, shape.load(rate, plan.leadSeconds(), plan.sendSeconds())), plan.minRateShare());
        System.out.println("  " + step.oneLine());
        return step;
    }
}
