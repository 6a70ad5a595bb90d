package chat.loadtest.performance;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLadderTest {

    @Test
    void ratesGrowByTheFactorAndTheFirstFailingStepIsTheLast() {
        List<LadderStep> steps = new RateLadder(2, 10).climb(100,
                rate -> Measured.at(rate).p99(rate > 500 ? 300 : 5).judged());

        assertEquals(List.of(100.0, 200.0, 400.0, 800.0), steps.stream().map(LadderStep::targetRate).toList());
        assertTrue(steps.getLast().failures().getFirst().startsWith("e2e p99"));
    }

    @Test
    void theLadderStopsAfterMaxStepsWhenEveryStepPasses() {
        List<LadderStep> steps = new RateLadder(1.5, 3).climb(1000, rate -> Measured.at(rate).judged());

        assertEquals(List.of(1000.0, 1500.0, 2250.0), steps.stream().map(LadderStep::targetRate).toList());
    }

    @Test
    void aFactorThatDoesNotGrowTheRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLadder(1, 5));
    }
}
