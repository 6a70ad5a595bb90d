package chat.loadtest.performance;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaturationTest {

    @Test
    void ofThePassingStepsAtSaturationCpuTheMostEfficientIsRead() {
        LadderStep cool = Measured.at(1000).nodeCpus(0.2).judged();
        LadderStep hot = Measured.at(3000).nodeCpus(0.85).judged();
        LadderStep hotter = Measured.at(3500).nodeCpus(0.9).judged();
        LadderStep failed = Measured.at(4000).nodeCpus(0.8).p99(400).judged();

        Saturation at = Saturation.find(List.of(cool, hot, hotter, failed), 0.8).orElseThrow();

        assertTrue(at.saturated());
        assertEquals(3500, at.step().targetRate());
    }

    @Test
    void aFailingStepIsNeverReadHoweverEfficient() {
        LadderStep saturated = Measured.at(3000).nodeCpus(0.9).judged();
        LadderStep efficientButLossy = Measured.at(4000).nodeCpus(0.85).lost(2).judged();

        assertEquals(3000, Saturation.find(List.of(saturated, efficientButLossy), 0.8).orElseThrow().step()
                .targetRate());
    }

    @Test
    void whenTheNodeNeverReachedSaturationTheBestPassingStepIsReadAsNotSaturated() {
        LadderStep first = Measured.at(1000).nodeCpus(0.2).judged();
        LadderStep second = Measured.at(2000).nodeCpus(0.3).judged();
        LadderStep generatorBehind = Measured.at(3000).nodeCpus(0.4).sentShare(0.9).judged();

        Saturation at = Saturation.find(List.of(first, second, generatorBehind), 0.8).orElseThrow();

        assertFalse(at.saturated());
        assertEquals(2000, at.step().targetRate());
    }

    @Test
    void aStepWhoseCpuALaterFasterStepUndercutIsNotSaturation() {
        LadderStep stillCompiling = Measured.at(1000).nodeCpus(0.95).judged();
        LadderStep warm = Measured.at(1400).nodeCpus(0.55).judged();

        Saturation at = Saturation.find(List.of(stillCompiling, warm), 0.8).orElseThrow();

        assertFalse(at.saturated());
        assertEquals(1400, at.step().targetRate());
    }

    @Test
    void noPassingStepMeansNothingToRead() {
        Optional<Saturation> at = Saturation.find(List.of(Measured.at(1000).p99(500).judged()), 0.8);

        assertTrue(at.isEmpty());
    }
}
