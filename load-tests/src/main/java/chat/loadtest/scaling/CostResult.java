package chat.loadtest.scaling;

import java.util.List;
import java.util.Optional;

/**
 * One cost run: N uncapped nodes of one server at the fixed total load, and what it cost.
 *
 * @param server    chat node, or Socket.IO with one of its adapters
 * @param nodes     N
 * @param placement sharded or spread
 * @param rate      messages per second offered in all: the fixed load, or, for one node's reference runs, the fixed
 *                  load divided by the N whose per-node rate it matches
 * @param step      the measured step
 */
public record CostResult(String server, int nodes, String placement, double rate, StepResult step) {

    /** Node CPU-seconds per 1,000 acknowledged messages, all nodes together; NaN when no CPU was read. */
    public double nodeCost() {
        return step.totalNodeCpus() > 0 ? step.perThousandMessages(step.totalNodeCpus()) : Double.NaN;
    }

    /** For one node's reference run: the N whose per-node rate it ran at, the fixed load ÷ its rate. */
    public int standsFor(double fixedRate) {
        return (int) Math.round(fixedRate / rate);
    }

    /**
     * This run's node CPU per message ÷ that of one node alone at its per-node rate (1 at N = 1); empty when no
     * reference run matches.
     */
    public Optional<Double> againstReference(List<CostResult> references, double fixedRate) {
        if (nodes == 1) {
            return Optional.of(1.0);
        }
        return references.stream().filter(r -> r.server().equals(server) && r.standsFor(fixedRate) == nodes)
                .findFirst().map(r -> nodeCost() / r.nodeCost());
    }

    /** A server's runs with one placement, by N; the run at N = 1 stands for every placement. */
    public static List<CostResult> series(List<CostResult> runs, String server, String placement) {
        return runs.stream().filter(c -> c.server().equals(server))
                .filter(c -> c.placement().equals(placement) || c.nodes() == 1).toList();
    }

    /** Whether every acknowledged message reached every member once and in order. */
    public boolean correct() {
        return step.summary().correct();
    }
}
