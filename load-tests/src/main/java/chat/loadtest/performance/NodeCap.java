package chat.loadtest.performance;

/**
 * The CPU cap of the node under test during its ladders. On two cores the load generator, Redis and Kafka share one
 * core and give out before an uncapped node on the other does; under a cap the node saturates first, so that its
 * cost per delivery is read at its own limit.
 *
 * @param cpus the cap in CPUs, or 0 when the ladders ran uncapped
 */
public record NodeCap(double cpus) {

    static final NodeCap NONE = new NodeCap(0);

    public boolean capped() {
        return cpus > 0;
    }

    /** The most CPU the node could use in a ladder: its cap, or the one core it runs on. */
    public double ceiling() {
        return capped() ? cpus : 1;
    }

    /** The node CPU from which a step counts as saturating the node: a share of its ceiling. */
    double saturatedCpus(double saturatedShare) {
        return saturatedShare * ceiling();
    }

    /**
     * Users arriving per second at the start of a step, from the rate an uncapped node gets. Every step connects its
     * users afresh, and their joins cost the node CPU: a capped node given the full rate is still joining them
     * after the lead-in has begun, so they send late and their joins land in the measured window.
     */
    int arrivalRate(int uncapped) {
        return (int) Math.max(1, Math.round(uncapped * ceiling()));
    }

    /** The cap in words, as the report's tables and lines name it. */
    String label() {
        return capped() ? String.format("%.2f CPU", cpus) : "uncapped";
    }
}
