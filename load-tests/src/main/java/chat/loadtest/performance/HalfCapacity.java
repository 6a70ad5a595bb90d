package chat.loadtest.performance;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The rate of the step that reads latency with room to spare: half of what the node would carry on its one core.
 * That step runs uncapped, since CFS throttling under a cap would dominate its p99, and the latency target is for one
 * node on one core. When the ladder saturated the node, one core's capacity is estimated as the messages per
 * node-CPU-second at saturation × 1 core, and the rate is half of that or half the highest passing rate scaled from
 * the ladder's ceiling to one core, whichever is lower, so that an estimate from a step whose CPU was read low does
 * not outrun what the ladder showed. When it did not saturate there is no estimate, and the rate is half the highest
 * passing one. The rate is not checked against what the load generator can send: the step's verdict says whether it
 * kept up.
 *
 * @param rate   messages per second, all users together
 * @param reason how the rate was chosen, for the report
 */
public record HalfCapacity(double rate, String reason) {

    /**
     * The half-capacity rate of a ladder run under {@code cap}, read at {@code at}, or empty when no step passed.
     */
    static Optional<HalfCapacity> of(List<LadderStep> ladder, Optional<Saturation> at, NodeCap cap) {
        OptionalDouble passing = ladder.stream().filter(LadderStep::passed).mapToDouble(LadderStep::targetRate).max();
        if (passing.isEmpty()) {
            return Optional.empty();
        }
        double highest = passing.getAsDouble();
        if (at.isEmpty() || !at.get().saturated()) {
            return Optional.of(new HalfCapacity(highest / 2, String.format("half the highest passing rate, %.0f "
                    + "msg/s: the node did not saturate, so one core's capacity was not estimated", highest)));
        }
        double oneCore = at.get().step().messagesPerNodeCpuSecond();
        double scaled = highest / cap.ceiling();
        if (oneCore <= scaled) {
            return Optional.of(new HalfCapacity(oneCore / 2, String.format("half of one core's estimated capacity: "
                    + "%.0f messages per node-CPU-second at saturation × 1 core", oneCore)));
        }
        String bound = cap.capped()
                ? String.format("the highest passing rate scaled to one core (%.0f msg/s ÷ %s = %.0f msg/s)", highest,
                cap.label(), scaled)
                : String.format("the highest passing rate (%.0f msg/s)", highest);
        return Optional.of(new HalfCapacity(scaled / 2, String.format("half of %s, which is under one core's "
                + "estimated capacity (%.0f messages per node-CPU-second at saturation × 1 core)", bound, oneCore)));
    }
}
