package chat.loadtest.scaling;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The capacity search of one cluster: its steps, and the highest rate that passed.
 *
 * @param kind       chat node or Socket.IO
 * @param nodes      nodes in the cluster
 * @param cpuPerNode each node's cap
 * @param steps      the measured steps, in the order run
 */
public record FleetResult(String kind, int nodes, double cpuPerNode, List<StepResult> steps) {

    /** The passing step with the highest offered rate, if any. */
    public Optional<StepResult> atCapacity() {
        return steps.stream().filter(StepResult::passed).max(Comparator.comparingDouble(StepResult::offeredRate));
    }

    /** The failing step with the lowest rate above capacity, showing what gave out. */
    public Optional<StepResult> firstAbove() {
        double capacity = capacity();
        return steps.stream().filter(s -> !s.passed() && s.offeredRate() > capacity)
                .min(Comparator.comparingDouble(StepResult::offeredRate));
    }

    /** Acknowledged messages per second at capacity; 0 when no step passed. */
    public double capacity() {
        return atCapacity().map(s -> s.summary().ackedPerSecond()).orElse(0.0);
    }

    /** Capacity per CPU of cap. */
    public double capacityPerCpu() {
        return capacity() / (nodes * cpuPerNode);
    }
}
