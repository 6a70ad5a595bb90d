package chat.loadtest.performance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LadderStepTest {

    @Test
    void aStepEverythingKeptUpWithPassesAndItsCostIsTheNodeCpuPerDelivery() {
        LadderStep step = Measured.at(2000).roomsOf(10).nodeCpus(0.5).judged();

        assertTrue(step.passed(), step.verdict());
        assertEquals(20_000, step.deliveriesPerSecond(), 1e-9);
        assertEquals(40_000, step.deliveriesPerNodeCpuSecond(), 1e-9);
        assertEquals(4_000, step.messagesPerNodeCpuSecond(), 1e-9);
        assertEquals(25, step.nodeMicrosPerDelivery(), 1e-9);
        assertEquals(250, step.nodeMicrosPerMessage(), 1e-9);
    }

    @Test
    void aGeneratorThatSentUnder97PercentOfTheTargetFailsTheStep() {
        LadderStep behind = Measured.at(2000).sentShare(0.95).judged();
        LadderStep enough = Measured.at(2000).sentShare(0.98).judged();

        assertFalse(behind.passed());
        assertTrue(behind.verdict().contains("the generator sent 95 % of the target"), behind.verdict());
        assertTrue(enough.passed(), enough.verdict());
    }

    @Test
    void aSingleLostDeliveryFailsTheStep() {
        LadderStep step = Measured.at(2000).lost(1).judged();

        assertFalse(step.passed());
        assertFalse(step.correct());
        assertTrue(step.verdict().contains("lost 1"), step.verdict());
    }

    @Test
    void aP99OverTheObjectiveFailsTheStep() {
        LadderStep step = Measured.at(2000).p99(150).judged();

        assertFalse(step.passed());
        assertTrue(step.correct());
        assertTrue(step.verdict().contains("e2e p99 150.0 ms over 100 ms"), step.verdict());
    }
}
