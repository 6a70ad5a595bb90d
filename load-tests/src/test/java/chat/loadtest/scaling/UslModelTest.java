package chat.loadtest.scaling;

import chat.loadtest.scaling.UslModel.Ceiling;
import chat.loadtest.scaling.UslModel.CeilingHit;
import chat.loadtest.scaling.UslModel.CostPoint;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UslModelTest {

    private static final double SIGMA = 0.03;
    private static final double KAPPA = 0.0005;

    /** c(N), with c(1) = 2, of a cluster on the USL with {@code sigma} and {@code kappa}, times {@code noise}. */
    private static CostPoint cost(int n, double sigma, double kappa, double noise) {
        return new CostPoint(n, 2.0 * (1 + sigma * (n - 1) + kappa * n * (n - 1)) * noise);
    }

    @Test
    void exactCostPointsGiveBackTheirSigmaAndKappa() {
        UslModel model = UslModel.fit(1000, List.of(cost(1, SIGMA, KAPPA, 1), cost(2, SIGMA, KAPPA, 1),
                cost(4, SIGMA, KAPPA, 1), cost(8, SIGMA, KAPPA, 1)));

        assertEquals(SIGMA, model.sigma(), 1e-9);
        assertEquals(KAPPA, model.kappa(), 1e-9);
        assertEquals(1000, model.c1());
        assertEquals(3, model.fit().points());
        assertEquals(2, model.fit().freeParameters());
        assertEquals(0, model.fit().residualError(), 1e-9);
        assertFalse(model.fit().sigmaHeld() || model.fit().kappaHeld());
    }

    @Test
    void noisyCostPointsGiveFiniteStandardErrors() {
        UslModel model = UslModel.fit(1000, List.of(cost(1, SIGMA, KAPPA, 1), cost(2, SIGMA, KAPPA, 1.01),
                cost(4, SIGMA, KAPPA, 0.99), cost(8, SIGMA, KAPPA, 1.02)));
        UslModel.Fit fit = model.fit();

        assertTrue(Double.isFinite(fit.sigmaError()) && fit.sigmaError() > 0, "σ error " + fit.sigmaError());
        assertTrue(Double.isFinite(fit.kappaError()) && fit.kappaError() > 0, "κ error " + fit.kappaError());
        assertTrue(fit.residualError() > 0, "residual error " + fit.residualError());
        assertTrue(fit.rSquared() > 0.9 && fit.rSquared() < 1, "R² " + fit.rSquared());
        assertEquals(SIGMA, model.sigma(), 4 * fit.sigmaError());
    }

    @Test
    void threeDistinctNodeCountsLeaveNoFreedomSoTheErrorsAreNaN() {
        UslModel.Fit fit = UslModel.fit(1000, List.of(cost(1, SIGMA, KAPPA, 1), cost(2, SIGMA, KAPPA, 1),
                cost(4, SIGMA, KAPPA, 1.01))).fit();

        assertEquals(2, fit.freeParameters());

        assertTrue(Double.isNaN(fit.sigmaError()) && Double.isNaN(fit.kappaError()));
        assertTrue(Double.isNaN(fit.residualError()) && Double.isNaN(fit.rSquared()));
    }

    @Test
    void aNegativeContentionIsHeldAtZeroAndKappaRefitted() {
        double sigma = -0.02;
        double kappa = 0.01;
        UslModel model = UslModel.fit(1000, List.of(cost(1, sigma, kappa, 1), cost(2, sigma, kappa, 1),
                cost(4, sigma, kappa, 1), cost(8, sigma, kappa, 1)));

        assertEquals(0, model.sigma());
        assertTrue(model.fit().sigmaHeld());
        assertFalse(model.fit().kappaHeld());
        assertEquals(1, model.fit().freeParameters());
        assertEquals(0, model.fit().sigmaError());
        // y = −0.02·x₁ + 0.01·x₂ with x₁ = 1, 3, 7 and x₂ = 2, 12, 56, refitted as κ·x₂ alone: κ = Σx₂y / Σx₂².
        double[] x1 = {1, 3, 7};
        double[] x2 = {2, 12, 56};
        double x2y = 0;
        double x22 = 0;
        for (int i = 0; i < 3; i++) {
            x2y += x2[i] * (sigma * x1[i] + kappa * x2[i]);
            x22 += x2[i] * x2[i];
        }
        assertEquals(x2y / x22, model.kappa(), 1e-12);
    }

    @Test
    void costsThatFallWithNodesHoldBothCoefficientsAtZero() {
        UslModel model = UslModel.fit(1000, List.of(new CostPoint(1, 2.0), new CostPoint(2, 1.9),
                new CostPoint(4, 1.8)));

        assertEquals(0, model.sigma());
        assertEquals(0, model.kappa());
        assertTrue(model.fit().sigmaHeld() && model.fit().kappaHeld());
    }

    @Test
    void tooFewNodeCountsAreRefused() {
        IllegalArgumentException twoCounts = assertThrows(IllegalArgumentException.class,
                () -> UslModel.fit(1000, List.of(new CostPoint(1, 2.0), new CostPoint(2, 2.1),
                        new CostPoint(2, 2.2))));
        assertTrue(twoCounts.getMessage().contains("3 or more distinct N"), twoCounts.getMessage());

        IllegalArgumentException noReference = assertThrows(IllegalArgumentException.class,
                () -> UslModel.fit(1000, List.of(new CostPoint(2, 2.0), new CostPoint(4, 2.1),
                        new CostPoint(8, 2.2))));
        assertTrue(noReference.getMessage().contains("N = 1"), noReference.getMessage());
    }

    @Test
    void capacityEfficiencyAndPeakFollowTheFormula() {
        UslModel model = UslModel.of(1000, SIGMA, KAPPA);

        assertEquals(1000, model.capacity(1), 1e-9);
        // 2000 / (1 + 0.03 + 0.0005·2) = 2000 / 1.031
        assertEquals(1939.864209505335, model.capacity(2), 1e-9);
        // 8000 / (1 + 0.03·7 + 0.0005·56) = 8000 / 1.238
        assertEquals(6462.035541195477, model.capacity(8), 1e-9);
        // 1 / (1 + 0.03·3 + 0.0005·12) = 1 / 1.096
        assertEquals(0.9124087591240876, model.efficiency(4), 1e-12);
        // √(0.97 / 0.0005) = √1940 = 44.05
        assertEquals(OptionalInt.of(44), model.peak());
        assertEquals(OptionalInt.empty(), UslModel.of(1000, SIGMA, 0).peak());
    }

    @Test
    void theLowestCeilingIsReachedAtTheFirstNodeCountWhoseCapacityPassesIt() {
        UslModel model = UslModel.of(1000, SIGMA, KAPPA);
        Ceiling redis = new Ceiling("one Redis", 5000);
        List<Ceiling> ceilings = List.of(new Ceiling("Kafka broker", 8000), redis);

        // C(5) = 5000 / 1.13 = 4424.8, C(6) = 6000 / 1.165 = 5150.2
        assertEquals(Optional.of(new CeilingHit(6, redis)), UslModel.firstCeiling(model, ceilings, 64));
        assertEquals(Optional.empty(), UslModel.firstCeiling(model, ceilings, 5));
        assertEquals(Optional.empty(), UslModel.firstCeiling(model, List.of(), 64));
        assertEquals(5000, model.bounded(8, ceilings));
        assertEquals(model.capacity(2), model.bounded(2, ceilings));
    }
}
