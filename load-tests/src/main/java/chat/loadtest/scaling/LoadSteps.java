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
 * Each step's summary and log go to {@code steps/} of the run's output, its rooms and users named after the step.
 */
public final class LoadSteps {

    static final String GENERATOR = "generator";
    private static final String ROOM_CHAT = "chat.loadtest.simulation.RoomChatSimulation";
    private static final Duration STEP_OVERHEAD = Duration.ofMinutes(2);

    private final Path out;
    private final CpuSampler sampler;
    private CpuCaps.Group generators;
    private final ClusterSettings cluster;
    private final double p99Millis;
    private final double maxErrorPercent;
    private final int arrivalRate;
    private int stepNumber;

    /**
     * @param generators      the CPU group load generators start in
     * @param p99Millis       the end-to-end p99 a step must keep to pass
     * @param maxErrorPercent the failed operations a step may have
     * @param arrivalRate     users arriving per second at the start of each step
     */
    public LoadSteps(Path out, CpuSampler sampler, CpuCaps.Group generators, ClusterSettings cluster,
                     double p99Millis, double maxErrorPercent, int arrivalRate) {
        this.out = out;
        this.sampler = sampler;
        this.generators = generators;
        this.cluster = cluster;
        this.p99Millis = p99Millis;
        this.maxErrorPercent = maxErrorPercent;
        this.arrivalRate = arrivalRate;
    }

    /** A measured step: the load, and what each process used while it was sent. */
    public StepResult measure(Fleet fleet, LoadStep load) {
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
    public RoomChatSummary run(Fleet fleet, LoadStep load) {
        String name = String.format("step-%02d", ++stepNumber);
        Path summaryFile = out.resolve("steps").resolve(name + ".json");
        Map<String, String> properties = new HashMap<>(Map.of(
                "wsBaseUrls", fleet.wsBaseUrls(),
                "users", Integer.toString(load.users()),
                "roomSize", Integer.toString(load.roomSize()),
                "placement", load.placement(),
                "ratePerUser", Double.toString(load.rate() / load.users()),
                "sendSeconds", Integer.toString(load.sendSeconds()),
                "arrivalRate", Integer.toString(arrivalRate),
                "authSecret", cluster.authSecret(),
                "summaryFile", summaryFile.toString(),
                "runTag", name.replace("-", "")));
        properties.put("leadSeconds", Integer.toString(load.leadSeconds()));
        properties.put("p99Millis", Double.toString(p99Millis));
        properties.put("maxErrorPercent", Double.toString(maxErrorPercent));
        GeneratorRun generator = load.generator() == LoadStep.Generator.GATLING
                ? GeneratorRun.gatling(ROOM_CHAT, properties, out.resolve("gatling"), false)
                : GeneratorRun.wire(properties);
        Duration timeout = Duration.ofSeconds(load.leadSeconds() + load.sendSeconds() + load.users() / arrivalRate)
                .plus(STEP_OVERHEAD);
        generator.run(generators, out.resolve("steps").resolve(name + ".log"), timeout,
                pid -> sampler.track(GENERATOR, () -> CpuSampler.withDescendants(pid)));
        sampler.untrack(GENERATOR);
        return RoomChatSummary.read(summaryFile);
    }

    private static List<Long> frames(Fleet fleet) {
        return fleet.stats().stream().map(stats -> RedisFrames.received(fleet.kind(), stats)).toList();
    }

    /** From now on, load generators start in this group (e.g. one pinned away from the nodes' core). */
    public void generatorsIn(CpuCaps.Group group) {
        generators = group;
    }

    /** Starts sampling the CPU of a fleet's servers, under their names. */
    public void track(Fleet fleet) {
        for (ServerProcess server : fleet.servers()) {
            sampler.track(server.name(), () -> List.of(server.pid()));
        }
    }

    public void untrack(Fleet fleet) {
        fleet.servers().forEach(server -> sampler.untrack(server.name()));
    }
}
