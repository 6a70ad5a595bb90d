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
import java.util.OptionalDouble;

/**
 * The performance run: one node's efficiency and latency, for a chat node built before a change, the current one
 * and the Socket.IO baseline, in the same run so that their ratios carry less of the machine's noise. Redis, Kafka
 * and PostgreSQL run as local processes; each server in turn runs as one uncapped node alone on the last core, with
 * everything else on the others; for each room shape it gets a warm-up, a ladder of growing rates until a step
 * fails, and a step at half the highest passing rate. Writes {@code load-tests/target/performance/} (report, JSON,
 * every step's summary and log) and its section of BENCHMARKS.md.
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
    private boolean stackWarm;

    private PerformanceRun(PerformancePlan plan, Path out, CpuCaps caps, ClusterSettings cluster, LoadSteps steps,
                           CoreSplit split) {
        this.plan = plan;
        this.out = out;
        this.caps = caps;
        this.cluster = cluster;
        this.steps = steps;
        this.split = split;
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
            StackProcesses processes = StackProcesses.find(out.resolve("stack"));
            processes.moveInto(support);
            processes.track(sampler);
            CoreSplit split = CoreSplit.of(MachineInfo.cores(), caps.enabled());
            split.pinSupport(processes);
            ClusterSettings cluster = ClusterSettings.of(stack);
            LoadSteps steps = new LoadSteps(out, sampler, split.pinned() ? split.generators(caps) : support, cluster,
                    plan.p99Millis(), plan.maxErrorPercent(), plan.arrivalRate());
            PerformanceRun run = new PerformanceRun(plan, out, caps, cluster, steps, split);

            List<LadderResult> ladders = new ArrayList<>();
            for (ServerUnderTest server : servers) {
                ladders.addAll(run.measure(server));
            }
            Duration took = Duration.ofMillis(System.currentTimeMillis() - started);
            PerformanceReport report = new PerformanceReport(
                    new PerformanceResults(plan, servers, ladders, split.pinned(), took),
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

    /** A warm-up, the ladder, and the step at half the highest passing rate. */
    private LadderResult climb(ServerUnderTest server, Fleet fleet, RoomShape shape) {
        System.out.printf("%n== %s, %s, %d users, from %.0f msg/s ==%n", server.name(), shape.label(),
                shape.users(), shape.startRate());
        // V8 compiles the baseline's few hot functions within seconds; a JVM needs the longer warm-up.
        int warmup = server.kind() == ServerKind.CHAT_NODE ? plan.warmupSeconds() : plan.warmupSeconds() / 2;
        if (!stackWarm) {
            warmup += plan.stackWarmupSeconds();
            stackWarm = true;
        }
        System.out.println("warm-up: " + steps.run(fleet, shape.load(shape.startRate(), 0, warmup)).oneLine());
        List<LadderStep> ladder = new RateLadder(plan.stepFactor(), plan.maxSteps())
                .climb(shape.startRate(), rate -> measured(fleet, shape, rate));
        OptionalDouble halfRate = RateLadder.halfCapacity(ladder);
        LadderStep half = halfRate.isPresent() ? measured(fleet, shape, halfRate.getAsDouble()) : null;
        return new LadderResult(server.name(), shape, ladder, half);
    }

    private LadderStep measured(Fleet fleet, RoomShape shape, double rate) {
        LadderStep step = LadderStep.judge(rate, plan.leadSeconds() + plan.sendSeconds(),
                steps.measure(fleet, shape.load(rate, plan.leadSeconds(), plan.sendSeconds())), plan.minRateShare());
        System.out.println("  " + step.oneLine());
        return step;
    }
}
