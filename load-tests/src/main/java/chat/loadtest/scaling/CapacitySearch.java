package chat.loadtest.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Finds the highest offered rate a cluster sustains: rates grow by a factor until a step fails (or shrink until
 * one passes), then the gap between the last pass and the first failure is bisected on a log scale. A rate fails
 * only if it fails twice: on a shared machine one step in a while catches a stall that is not the cluster's.
 */
final class CapacitySearch {

    private final double factor;
    private final int refinements;
    private final int maxSteps;

    CapacitySearch(double factor, int refinements, int maxSteps) {
        this.factor = factor;
        this.refinements = refinements;
        this.maxSteps = maxSteps;
    }

    List<StepResult> run(double startRate, DoubleFunction<StepResult> step) {
        List<StepResult> steps = new ArrayList<>();
        double pass = 0;
        double fail = Double.MAX_VALUE;
        double rate = startRate;
        while (steps.size() < maxSteps && (pass == 0 || fail == Double.MAX_VALUE)) {
            StepResult result = confirmed(rate, step, steps);
            if (result.passed()) {
                pass = Math.max(pass, rate);
                rate = rate * factor;
            } else {
                fail = Math.min(fail, rate);
                rate = rate / factor;
            }
        }
        for (int i = 0; i < refinements && steps.size() < maxSteps && pass > 0 && fail < Double.MAX_VALUE; i++) {
            double middle = Math.sqrt(pass * fail);
            StepResult result = confirmed(middle, step, steps);
            if (result.passed()) {
                pass = middle;
            } else {
                fail = middle;
            }
        }
        return steps;
    }

    /** Runs a step, and once more if it failed; the second result stands. */
    private static StepResult confirmed(double rate, DoubleFunction<StepResult> step, List<StepResult> steps) {
        StepResult result = step.apply(rate);
        steps.add(result);
        if (!result.passed()) {
            result = step.apply(rate);
            steps.add(result);
        }
        return result;
    }
}
