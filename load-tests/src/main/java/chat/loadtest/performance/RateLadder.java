package chat.loadtest.performance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Rates that grow by a factor from a start, one measured step each, until a step fails or the steps run out. Unlike
 * the scaling run's capacity search it neither retries nor bisects: it is there to find where the node's efficiency
 * peaks, within a few minutes per server.
 */
final class RateLadder {

    private final double factor;
    private final int maxSteps;

    RateLadder(double factor, int maxSteps) {
        if (factor <= 1) {
            throw new IllegalArgumentException("The step factor must be over 1, not " + factor);
        }
        this.factor = factor;
        this.maxSteps = maxSteps;
    }

    /** Measures steps from {@code startRate} up; the failing step, if any, is the last. */
    List<LadderStep> climb(double startRate, DoubleFunction<LadderStep> measure) {
        List<LadderStep> steps = new ArrayList<>();
        double rate = startRate;
        while (steps.size() < maxSteps) {
            LadderStep step = measure.apply(rate);
            steps.add(step);
            if (!step.passed()) {
                break;
            }
            rate *= factor;
        }
        return List.copyOf(steps);
    }
}
