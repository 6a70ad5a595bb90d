package chat.loadtest.scaling;

import chat.loadtest.scaling.UslModel.CostPoint;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The least-squares fit behind {@link UslModel#fit}: y = c(N)/c(1) − 1 against x₁ = N − 1 and x₂ = N(N − 1), without
 * intercept, with σ and κ at 0 or above.
 */
final class UslRegression {

    private UslRegression() {
    }

    static UslModel fit(double c1Capacity, List<CostPoint> points) {
        double reference = reference(points);
        List<Row> rows = points.stream().filter(p -> p.nodes() > 1)
                .map(p -> new Row(p.nodes() - 1, p.nodes() * (double) (p.nodes() - 1),
                        p.costPerMessage() / reference - 1))
                .toList();
        Sums sums = Sums.of(rows);
        Candidate best = Stream.of(sums.both(), sums.sigmaOnly(), sums.kappaOnly(), new Candidate(0, 0, false, false))
                .filter(Candidate::feasible)
                .min(Comparator.comparingDouble(c -> c.rss(rows)))
                .orElseThrow();
        return new UslModel(c1Capacity, best.sigma(), best.kappa(), quality(best, rows, sums));
    }

    /** The cost at N = 1, after checking that the points can determine σ and κ. */
    private static double reference(List<CostPoint> points) {
        List<CostPoint> single = points.stream().filter(p -> p.nodes() == 1).toList();
        if (single.isEmpty()) {
            throw new IllegalArgumentException("No cost point at N = 1: c(1) is the reference of every other point");
        }
        if (single.size() > 1) {
            throw new IllegalArgumentException("One cost point at N = 1 is the reference, got " + single.size());
        }
        List<Integer> distinct = points.stream().map(CostPoint::nodes).distinct().sorted().toList();
        if (distinct.size() < 3) {
            throw new IllegalArgumentException("A USL fit needs cost points at 3 or more distinct N (1 and two more)"
                    + " to tell contention from crosstalk, got N = " + distinct);
        }
        return single.getFirst().costPerMessage();
    }

    private static UslModel.Fit quality(Candidate fit, List<Row> rows, Sums sums) {
        int n = rows.size();
        int p = (fit.sigmaFree() ? 1 : 0) + (fit.kappaFree() ? 1 : 0);
        int freedom = n - p;
        double rss = fit.rss(rows);
        double s2 = freedom > 0 ? rss / freedom : Double.NaN;
        double sigmaVariance;
        double kappaVariance;
        if (fit.sigmaFree() && fit.kappaFree()) {
            sigmaVariance = s2 * sums.x22() / sums.determinant();
            kappaVariance = s2 * sums.x11() / sums.determinant();
        } else {
            sigmaVariance = fit.sigmaFree() ? s2 / sums.x11() : 0;
            kappaVariance = fit.kappaFree() ? s2 / sums.x22() : 0;
        }
        double rSquared = freedom > 0 && sums.yy() > 0 ? 1 - rss / sums.yy() : Double.NaN;
        return new UslModel.Fit(n, p, Math.sqrt(sigmaVariance), Math.sqrt(kappaVariance), Math.sqrt(s2), rSquared,
                !fit.sigmaFree(), !fit.kappaFree());
    }

    /** One point with N > 1 as regressors and response. */
    private record Row(double x1, double x2, double y) {
    }

    /** A solution with some coefficients estimated and the others held at 0. */
    private record Candidate(double sigma, double kappa, boolean sigmaFree, boolean kappaFree) {
        boolean feasible() {
            return sigma >= 0 && kappa >= 0;
        }

        double rss(List<Row> rows) {
            return rows.stream().mapToDouble(r -> r.y() - sigma * r.x1() - kappa * r.x2()).map(e -> e * e).sum();
        }
    }

    /** The sums of products that the normal equations XᵀX·β = Xᵀy are made of. */
    private record Sums(double x11, double x12, double x22, double x1y, double x2y, double yy) {
        static Sums of(List<Row> rows) {
            double x11 = 0, x12 = 0, x22 = 0, x1y = 0, x2y = 0, yy = 0;
            for (Row r : rows) {
                x11 += r.x1() * r.x1();
                x12 += r.x1() * r.x2();
                x22 += r.x2() * r.x2();
                x1y += r.x1() * r.y();
                x2y += r.x2() * r.y();
                yy += r.y() * r.y();
            }
            return new Sums(x11, x12, x22, x1y, x2y, yy);
        }

        double determinant() {
            return x11 * x22 - x12 * x12;
        }

        Candidate both() {
            return new Candidate((x22 * x1y - x12 * x2y) / determinant(), (x11 * x2y - x12 * x1y) / determinant(),
                    true, true);
        }

        Candidate sigmaOnly() {
            return new Candidate(x1y / x11, 0, true, false);
        }

        Candidate kappaOnly() {
            return new Candidate(0, x2y / x22, false, true);
        }
    }
}
