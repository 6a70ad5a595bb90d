package chat.loadtest.scaling;

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

    /** Whether every acknowledged message reached every member once and in order. */
    public boolean correct() {
        return step.summary().correct();
    }
}
