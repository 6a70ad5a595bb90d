package chat.loadtest.scaling;

import chat.loadtest.measure.RoomChatSummary;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacitySearchTest {

    /** A cluster that keeps its objective up to {@code limit} messages per second. */
    private static StepResult step(double rate, double limit) {
        RoomChatSummary summary = new RoomChatSummary(new RoomChatSummary.Run(1, 10, 10, "sharded", rate, 100, 0.1),
                10, 0, 100, 100, 0, 1000, 1000, 0, 0, 0, 0, rate, rate * 10,
                new RoomChatSummary.Latency(1000, 5, 20, rate <= limit ? 50 : 500, 600),
                new RoomChatSummary.Latency(100, 5, 20, 50, 60), 0, 1000);
        return new StepResult(rate, LoadStep.Generator.WIRE, summary, List.of(0.1), List.of(0.0), List.of(0L),
                0, 0, 0, 0, 0);
    }

    @Test
    void ratesGrowUntilAStepFailsTwiceThenTheGapIsBisected() {
        List<StepResult> steps = new CapacitySearch(2, 2, 20).run(10, rate -> step(rate, 50));

        assertEquals(List.of(10.0, 20.0, 40.0, 80.0, 80.0), rates(steps.subList(0, 5)));
        double capacity = new FleetResult("chat node", 1, 0.25, steps).capacity();
        assertTrue(capacity >= 40 && capacity <= 50, "capacity " + capacity);
    }

    @Test
    void ratesShrinkWhenTheFirstStepFails() {
        List<StepResult> steps = new CapacitySearch(2, 0, 10).run(100, rate -> step(rate, 30));

        assertEquals(List.of(100.0, 100.0, 50.0, 50.0, 25.0), rates(steps));
    }

    @Test
    void aFailureThatDoesNotRepeatCountsAsAPass() {
        int[] calls = {0};
        List<StepResult> steps = new CapacitySearch(2, 0, 3).run(10, rate -> step(rate, calls[0]++ == 0 ? 0 : 15));

        assertEquals(List.of(10.0, 10.0, 20.0, 20.0), rates(steps));
        assertEquals(10, new FleetResult("chat node", 1, 0.25, steps).capacity());
    }

    private static List<Double> rates(List<StepResult> steps) {
        return steps.stream().map(StepResult::offeredRate).toList();
    }
}
