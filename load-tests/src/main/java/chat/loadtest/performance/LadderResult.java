package chat.loadtest.performance;

import java.util.List;
import java.util.Optional;

/**
 * One server's ladder in one room shape, run under the node's cap, and the uncapped step at half capacity.
 *
 * @param server       the server's name ({@link ServerUnderTest#name()})
 * @param shape        the rooms and users
 * @param ladder       the measured steps, in the order run; a failing step, if any, is the last
 * @param halfCapacity the step at half capacity ({@link HalfCapacity}), or null when no step passed
 * @param halfReason   how the half-capacity rate was chosen ({@link HalfCapacity#reason()}); empty without the step
 */
public record LadderResult(String server, RoomShape shape, List<LadderStep> ladder, LadderStep halfCapacity,
                           String halfReason) {

    public Optional<Saturation> saturation(double saturatedCpus) {
        return Saturation.find(ladder, saturatedCpus);
    }

    public Optional<LadderStep> half() {
        return Optional.ofNullable(halfCapacity);
    }

    /** Why the ladder ended: its last step's failures, or that it ran out of steps. */
    public String ending() {
        if (ladder.isEmpty()) {
            return "no step";
        }
        LadderStep last = ladder.getLast();
        return last.passed() ? String.format("all %d steps passed", ladder.size())
                : String.format("%.0f msg/s failed: %s", last.targetRate(), String.join("; ", last.failures()));
    }

    /** Whether no step, the half-capacity one included, lost, duplicated or reordered a delivery. */
    public boolean correct() {
        return ladder.stream().allMatch(LadderStep::correct) && half().map(LadderStep::correct).orElse(true);
    }
}
