package chat.loadtest.scaling;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Gunther's Universal Scalability Law for a chat cluster: C(N) = C(1)·N / (1 + σ(N−1) + κ·N(N−1)), where σ is
 * contention (work that does not split across nodes) and κ crosstalk (work that grows with every pair of nodes,
 * such as each node receiving every other node's frames).
 *
 * <p>It is fitted from what each message costs in node CPU at a fixed total load. When every node has the same CPU
 * budget and the nodes are the bottleneck, C(N)/C(1) = N·c(1)/c(N), so c(N)/c(1) − 1 = σ(N−1) + κ·N(N−1): a linear
 * least-squares fit in σ and κ without intercept.
 *
 * @param c1    capacity of one node, messages per second
 * @param sigma contention σ, at least 0
 * @param kappa crosstalk κ, at least 0
 * @param fit   how well the cost points determine σ and κ; {@link Fit#NONE} for a model given by hand
 */
public record UslModel(double c1, double sigma, double kappa, Fit fit) {

    public UslModel {
        if (!(c1 > 0) || Double.isInfinite(c1)) {
            throw new IllegalArgumentException("C(1) must be a positive capacity, got " + c1);
        }
        if (!(sigma >= 0) || !(kappa >= 0)) {
            throw new IllegalArgumentException("σ and κ must be at least 0, got σ = " + sigma + ", κ = " + kappa);
        }
    }

    /** A model with known coefficients, not fitted from measurements. */
    public static UslModel of(double c1, double sigma, double kappa) {
        return new UslModel(c1, sigma, kappa, Fit.NONE);
    }

    /**
     * Fits σ and κ to measured costs per message. Both are held at 0 or above: the physical model has no negative
     * contention or crosstalk, so when the unconstrained fit gives a negative coefficient (noise, or a cluster that
     * gets cheaper per message as it grows, such as warmer caches), the fit is done again with that coefficient fixed
     * at 0, and {@link Fit} says which one was held.
     *
     * @param c1Capacity the measured capacity of one node, messages per second
     * @param points     cost per message at each N; exactly one at N = 1 (the reference c(1)), and at least three
     *                   distinct N in all. Several points at the same N > 1 (repeated runs) all count.
     * @throws IllegalArgumentException when there is no single point at N = 1 or fewer than three distinct N
     */
    public static UslModel fit(double c1Capacity, List<CostPoint> points) {
        return UslRegression.fit(c1Capacity, points);
    }

    /** The USL capacity at {@code n} nodes, messages per second. */
    public double capacity(int n) {
        return c1 * n * efficiency(n);
    }

    /** C(N)/(N·C(1)): the share of the ideal linear capacity that {@code n} nodes reach. */
    public double efficiency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("A cluster has at least one node, got " + n);
        }
        return efficiencyBetween(n);
    }

    /** The USL between whole node counts too, for drawing it as a curve. */
    double capacityBetween(double n) {
        return c1 * n * efficiencyBetween(n);
    }

    private double efficiencyBetween(double n) {
        return 1 / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /**
     * The cluster size where capacity peaks, N* = √((1−σ)/κ) rounded to the nearest whole node (at least 1); past it,
     * crosstalk makes each added node lower the capacity. Empty without crosstalk: capacity then grows with N towards
     * C(1)/σ.
     */
    public OptionalInt peak() {
        if (kappa <= 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(1, Math.round(Math.sqrt(Math.max(0, 1 - sigma) / kappa))));
    }

    /**
     * Where the nodes stop being the bottleneck: the smallest N up to {@code maxN} whose capacity reaches the lowest
     * shared part's ceiling, with that ceiling; empty if the nodes stay below every ceiling up to {@code maxN}.
     */
    public static Optional<CeilingHit> firstCeiling(UslModel model, List<Ceiling> ceilings, int maxN) {
        Optional<Ceiling> lowest = ceilings.stream().min(Comparator.comparingDouble(Ceiling::messagesPerSecond));
        if (lowest.isEmpty()) {
            return Optional.empty();
        }
        for (int n = 1; n <= maxN; n++) {
            if (model.capacity(n) >= lowest.get().messagesPerSecond()) {
                return Optional.of(new CeilingHit(n, lowest.get()));
            }
        }
        return Optional.empty();
    }

    /** The capacity of {@code n} nodes once the shared parts are counted: the lower of the USL and every ceiling. */
    public double bounded(int n, List<Ceiling> ceilings) {
        return ceilings.stream().mapToDouble(Ceiling::messagesPerSecond).reduce(capacity(n), Math::min);
    }

    /**
     * Node CPU per message measured with {@code nodes} nodes at the same total load as the other points.
     *
     * @param nodes          N
     * @param costPerMessage CPU seconds (or any unit, the same for every point) per message, summed over the nodes
     */
    public record CostPoint(int nodes, double costPerMessage) {
        public CostPoint {
            if (nodes < 1) {
                throw new IllegalArgumentException("A cost point needs at least one node, got " + nodes);
            }
            if (!(costPerMessage > 0) || Double.isInfinite(costPerMessage)) {
                throw new IllegalArgumentException("The cost per message at N = " + nodes + " must be positive, got "
                        + costPerMessage);
            }
        }
    }

    /**
     * A part every node shares (one Redis, the Kafka broker, the archiver, PostgreSQL) and the rate it cannot pass
     * however many nodes there are.
     */
    public record Ceiling(String name, double messagesPerSecond) {
    }

    /** The cluster size at which {@code ceiling} becomes the bottleneck. */
    public record CeilingHit(int nodes, Ceiling ceiling) {
    }

    /**
     * The quality of a fit. A coefficient held at 0 by the constraint was not estimated: its standard error is 0.
     *
     * @param points         cost points with N > 1 used (n)
     * @param freeParameters coefficients estimated (p: 2, or fewer when held at 0)
     * @param sigmaError     standard error of σ, from s²·(XᵀX)⁻¹; NaN when n − p ≤ 0
     * @param kappaError     standard error of κ; NaN when n − p ≤ 0
     * @param residualError  residual standard error s = √(RSS/(n − p)) of c(N)/c(1); NaN when n − p ≤ 0
     * @param rSquared       1 − RSS/Σy², the uncentered R² of a fit through the origin; NaN when n − p ≤ 0 (an exact
     *                       fit says nothing) or every y is 0
     * @param sigmaHeld      whether σ was held at 0
     * @param kappaHeld      whether κ was held at 0
     */
    public record Fit(int points, int freeParameters, double sigmaError, double kappaError, double residualError,
                      double rSquared, boolean sigmaHeld, boolean kappaHeld) {

        /** A model given by hand. */
        public static final Fit NONE = new Fit(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, false);
    }
}
