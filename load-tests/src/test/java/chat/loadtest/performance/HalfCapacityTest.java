package chat.loadtest.performance;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfCapacityTest {

    private static final NodeCap CAP = new NodeCap(0.4);

    @Test
    void underACapTheRateIsHalfTheHighestPassingRateScaledToOneCoreWhenTheEstimateIsHigher() {
        List<LadderStep> ladder = List.of(Measured.at(500).nodeCpus(0.2).judged(),
                Measured.at(700).nodeCpus(0.35).judged(), Measured.at(980).nodeCpus(0.4).p99(300).judged());

        HalfCapacity half = half(ladder, CAP);

        // 700 msg/s at 0.35 CPU estimates 2,000 msg/s for one core; 700 ÷ 0.4 is 1,750.
        assertEquals(875, half.rate(), 1e-9);
        assertTrue(half.reason().contains("700 msg/s ÷ 0.40 CPU = 1750 msg/s"), half.reason());
    }

    @Test
    void underACapTheRateIsHalfOfOneCoresEstimateWhenThatIsLower() {
        // The node's CPU was read over its cap: the estimate from saturation is the lower of the two.
        List<LadderStep> ladder = List.of(Measured.at(800).nodeCpus(0.5).judged());

        HalfCapacity half = half(ladder, CAP);

        assertEquals(800, half.rate(), 1e-9);
        assertTrue(half.reason().startsWith("half of one core's estimated capacity: 1600 messages"), half.reason());
    }

    @Test
    void uncappedTheRateIsAtMostHalfTheHighestPassingRate() {
        List<LadderStep> ladder = List.of(Measured.at(2000).nodeCpus(0.9).judged(),
                Measured.at(2800).nodeCpus(0.95).lost(1).judged());

        HalfCapacity half = half(ladder, NodeCap.NONE);

        assertEquals(1000, half.rate(), 1e-9);
        assertTrue(half.reason().startsWith("half of the highest passing rate (2000 msg/s)"), half.reason());
    }

    @Test
    void aNodeThatNeverSaturatedGetsHalfTheHighestPassingRate() {
        List<LadderStep> ladder = List.of(Measured.at(1000).nodeCpus(0.2).judged(),
                Measured.at(1400).nodeCpus(0.25).judged(), Measured.at(1960).nodeCpus(0.3).sentShare(0.8).judged());

        HalfCapacity half = half(ladder, CAP);

        assertEquals(700, half.rate(), 1e-9);
        assertTrue(half.reason().contains("did not saturate"), half.reason());
    }

    @Test
    void noPassingStepMeansNoHalfCapacityStep() {
        List<LadderStep> ladder = List.of(Measured.at(1000).nodeCpus(0.4).sentShare(0.5).judged());

        assertTrue(HalfCapacity.of(ladder, Saturation.find(ladder, 0.32), CAP).isEmpty());
    }

    private static HalfCapacity half(List<LadderStep> ladder, NodeCap cap) {
        return HalfCapacity.of(ladder, Saturation.find(ladder, cap.saturatedCpus(0.8)), cap).orElseThrow();
    }
}
