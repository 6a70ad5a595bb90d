package chat.loadtest.performance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * What the performance run measured, and what the report asks of it: each server's efficiency at saturation, the
 * current node's against the others', and the targets.
 *
 * @param plan    what was run
 * @param servers the servers, in the order measured
 * @param ladders every server's ladder in every shape
 * @param pinned  whether the node had the last core to itself and everything else the others
 * @param nodeCap the node's cap during the ladders: the plan's, or none when it asked for none or the machine has no
 *                CPU caps
 * @param took    how long the run took
 */
public record PerformanceResults(PerformancePlan plan, List<ServerUnderTest> servers, List<LadderResult> ladders,
                                 boolean pinned, NodeCap nodeCap, Duration took) {

    /** Deliveries per node-CPU-second the current node is to reach in rooms of 10. */
    static final double DELIVERIES_PER_CPU_SECOND = 125_000;
    /** How many times the before node's messages per node-CPU-second the current node is to reach in rooms of 2. */
    static final double PAIR_GAIN = 2.5;
    /** The end-to-end p99 the current node is to keep at half capacity, uncapped, in ms. */
    static final double HALF_CAPACITY_P99_MILLIS = 10;

    public Optional<LadderResult> ladder(String server, RoomShape shape) {
        return ladders.stream().filter(l -> l.server().equals(server) && l.shape().equals(shape)).findFirst();
    }

    public Optional<Saturation> saturation(String server, RoomShape shape) {
        return ladder(server, shape).flatMap(l -> l.saturation(nodeCap.saturatedCpus(plan.saturatedShare())));
    }

    /** A metric of {@code server} at saturation divided by the same of {@code other}, in the same shape. */
    public OptionalDouble ratio(String server, String other, RoomShape shape, ToDoubleFunction<LadderStep> metric) {
        Optional<Saturation> mine = saturation(server, shape);
        Optional<Saturation> theirs = saturation(other, shape);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return OptionalDouble.empty();
        }
        double divisor = metric.applyAsDouble(theirs.get().step());
        return divisor > 0 ? OptionalDouble.of(metric.applyAsDouble(mine.get().step()) / divisor)
                : OptionalDouble.empty();
    }

    public boolean correct() {
        return ladders.stream().allMatch(LadderResult::correct);
    }

    /** The goals, each met, missed or not measured. */
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        shape(10).ifPresent(shape -> targets.add(deliveriesTarget(shape)));
        shape(2).ifPresent(shape -> targets.add(pairTarget(shape)));
        for (RoomShape shape : plan.shapes()) {
            targets.add(latencyTarget(shape));
        }
        targets.add(new Target("deliveries lost, duplicated or out of order, every step of every server",
                correct() ? "none" : "some", "none", correct()));
        return targets;
    }

    private Optional<RoomShape> shape(int roomSize) {
        return plan.shapes().stream().filter(s -> s.roomSize() == roomSize).findFirst();
    }

    private Target deliveriesTarget(RoomShape shape) {
        String name = "current, " + shape.label() + ": deliveries per node-CPU-second";
        String goal = String.format("≥ %,.0f", DELIVERIES_PER_CPU_SECOND);
        return saturation(ServerUnderTest.CURRENT, shape).map(at -> {
            double value = at.step().deliveriesPerNodeCpuSecond();
            return new Target(name, String.format("%,.0f (%s)", value, where(at)), goal,
                    value >= DELIVERIES_PER_CPU_SECOND);
        }).orElse(Target.notMeasured(name, goal));
    }

    private Target pairTarget(RoomShape shape) {
        String name = "current ÷ before, " + shape.label() + ": messages per node-CPU-second";
        String goal = String.format("≥ %.1f×", PAIR_GAIN);
        OptionalDouble ratio = ratio(ServerUnderTest.CURRENT, ServerUnderTest.BEFORE, shape,
                LadderStep::messagesPerNodeCpuSecond);
        if (ratio.isEmpty()) {
            return Target.notMeasured(name, goal);
        }
        boolean bothSaturated = saturation(ServerUnderTest.CURRENT, shape).orElseThrow().saturated()
                && saturation(ServerUnderTest.BEFORE, shape).orElseThrow().saturated();
        return new Target(name, String.format("%.2f×%s", ratio.getAsDouble(),
                bothSaturated ? "" : " (not both nodes saturated)"), goal, ratio.getAsDouble() >= PAIR_GAIN);
    }

    private Target latencyTarget(RoomShape shape) {
        String name = "current, " + shape.label() + ": e2e p99 at half capacity";
        String goal = String.format("≤ %.0f ms", HALF_CAPACITY_P99_MILLIS);
        return ladder(ServerUnderTest.CURRENT, shape).flatMap(LadderResult::half).map(step -> {
            double p99 = step.result().summary().endToEnd().p99();
            return new Target(name, String.format("%.1f ms at %.0f msg/s", p99, step.targetRate()), goal,
                    p99 <= HALF_CAPACITY_P99_MILLIS);
        }).orElse(Target.notMeasured(name, goal));
    }

    /** Where a saturation reading was taken, in words. */
    private String where(Saturation at) {
        return String.format("%s at %.0f msg/s, node %.2f CPU%s", at.saturated() ? "saturated" : "not saturated",
                at.step().targetRate(), at.step().nodeCpus(),
                nodeCap.capped() ? " of its " + nodeCap.label() + " cap" : "");
    }
}
