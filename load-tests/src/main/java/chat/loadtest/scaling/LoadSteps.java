package chat.loadtest.scaling;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.GeneratorRun;
import chat.loadtest.cluster.RedisFrames;
import chat.loadtest.cluster.ServerProcess;
import chat.loadtest.measure.CpuSampler;
import chat.loadtest.measure.RoomChatSummary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs RoomChat loads against a fleet, each from a load generator in a JVM of its own, and reads what every process
 * used during the send window: CPU from {@code /proc}, CFS throttling, and the frames each node received from Redis.
 */
final class LoadSteps {

    static final String GENERATOR = "generator";
    private static final String ROOM_CHAT = "chat.loadtest.simulation.RoomChatSimulation";
    /** Users arriving per second: every step's sockets are in within a few seconds. */
    private static final int ARRIVAL_RATE = 100;
    private static final Duration STEP_OVERHEAD = Duration.ofMinutes(2);

    private final ScalingPlan plan;
    private final Path out;
    private final CpuSampler sampler;
    private CpuCaps.Group support;
    private final ClusterSettings cluster;
    private int stepNumber;

    LoadSteps(ScalingPlan plan, Path out, CpuSampler sampler, CpuCaps.Group support, ClusterSettings cluster) {
        this.plan = plan;
        this.out = out;
        this.sampler = sampler;
        this.support = support;
        this.cluster = cluster;
    }

    /** A measured step: the load, and what each process used while it was sent. */
    StepResult measure(Fleet fleet, LoadStep load) {
        List<CpuCaps.Throttling> before = fleet.groups().stream().map(CpuCaps.Group::throttling).toList();
        List<Long> framesBefore = frames(fleet);
        RoomChatSummary summary = run(fleet, load);
        List<Long> framesAfter = frames(fleet);
        List<CpuCaps.Group> groups = fleet.groups();
        List<Double> throttled = new ArrayList<>();
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            throttled.add(groups.get(i).throttling().minus(before.get(i)).throttledShare());
            frames.add(framesAfter.get(i) - framesBefore.get(i));
        }
        long from = summary.windowStart();
        long to = summary.windowEnd();
        StepResult result = new StepResult(load.rate(), load.generator(), summary,
                fleet.servers().stream().map(server -> sampler.cpus(server.name(), from, to)).toList(), throttled,
                frames, sampler.cpus("redis", from, to), sampler.cpus("kafka", from, to),
                sampler.cpus("postgres", from, to), sampler.cpus(GENERATOR, from, to),
                sampler.cpus(CpuSampler.MACHINE, from, to));
        System.out.println(result.oneLine());
        return result;
    }

    /** Runs a load and returns what the generator measured, without reading the processes. */
    RoomChatSummary run(Fleet fleet, LoadStep load) {
        String name = String.format("step-%02d", ++stepNumber);
        Path summaryFile = out.resolve("steps").resolve(name + ".json");
        Map<String, String> properties = new HashMap<>(Map.of(
                "wsBaseUrls", fleet.wsBaseUrls(),
                "users", Integer.toString(load.users()),
                "roomSize", Integer.toString(plan.roomSize()),
                "placement", load.placement(),
                "ratePerUser", Double.toString(load.rate() / load.users()),
                "sendSeconds", Integer.toString(load.sendSeconds()),
                "arrivalRate", Integer.toString(ARRIVAL_RATE),
                "authSecret", cluster.authSecret(),
                "summaryFile", summaryFile.toString(),
                "runTag", name.replace("-", "")));
        properties.put("leadSeconds", Integer.toString(load.leadSeconds()));
        properties.put("p99Millis", Double.toString(plan.p99Millis()));
        properties.put("maxErrorPercent", Double.toString(plan.maxErrorPercent()));
        GeneratorRun generator = load.generator() == LoadStep.Generator.GATLING
                ? GeneratorRun.gatling(ROOM_CHAT, properties, out.resolve("gatling"), false)
                : GeneratorRun.wire(properties);
        Duration timeout = Duration.ofSeconds(load.leadSeconds() + load.sendSeconds() + load.users() / ARRIVAL_RATE).plus(STEP_OVERHEAD);
        generator.run(support, out.resolve("steps").resolve(name + ".log"), timeout,
                pid -> sampler.track(GENERATOR, () -> CpuSampler.withDescendants(pid)));
        sampler.untrack(GENERATOR);
        return RoomChatSummary.read(summaryFile);
    }

    private static List<Long> frames(Fleet fleet) {
        return fleet.stats().stream().map(stats -> RedisFrames.received(fleet.kind(), stats)).toList();
    }

    /** From now on, load generators start in this group (e.g. one pinned away from the nodes' core). */
    void generatorsIn(CpuCaps.Group group) {
        support = group;
    }

    /** Starts sampling the CPU of a fleet's servers, under their names. */
    void track(Fleet fleet) {
        for (ServerProcess server : fleet.servers()) {
            sampler.track(server.name(), () -> List.of(server.pid()));
        }
    }

    void untrack(Fleet fleet) {
        fleet.servers().forEach(server -> sampler.untrack(server.name()));
    }
}
