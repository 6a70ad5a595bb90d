package chat.loadtest.performance;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The step a server's efficiency is read at. Of the passing steps that saturated the node, the one with the most
 * deliveries per node-CPU-second. A step saturated the node when the node used at least the saturation CPU in it (a
 * share of its cap, {@link NodeCap#saturatedCpus}) and no passing step at a higher rate used less: a node that then did
 * more with less was not at its limit but still compiling or collecting. When no step saturated the node, because the
 * load generator or the support core gave out first, the passing step with the most deliveries per node-CPU-second is
 * read, marked not saturated: a node's cost per delivery usually falls as its load grows, so its efficiency there is
 * likely a lower bound.
 *
 * @param step      the step
 * @param saturated whether the step saturated the node
 */
public record Saturation(LadderStep step, boolean saturated) {

    /**
     * The step to read, or empty when no step passed.
     *
     * @param saturatedCpus the node CPU from which a step saturated the node
     */
    static Optional<Saturation> find(List<LadderStep> steps, double saturatedCpus) {
        Comparator<LadderStep> efficiency = Comparator.comparingDouble(LadderStep::deliveriesPerNodeCpuSecond);
        List<LadderStep> passed = steps.stream().filter(LadderStep::passed).toList();
        Optional<LadderStep> saturated = passed.stream()
                .filter(step -> step.nodeCpus() >= saturatedCpus)
                .filter(step -> passed.stream().noneMatch(higher -> higher.targetRate() > step.targetRate()
                        && higher.nodeCpus() < step.nodeCpus()))
                .max(efficiency);
        if (saturated.isPresent()) {
            return saturated.map(step -> new Saturation(step, true));
        }
        return passed.stream().max(efficiency).map(step -> new Saturation(step, false));
    }
}
