package chat.loadtest.performance;

import java.util.List;

import org.junit.jupiter.api.Test;

import static chat.loadtest.performance.PerformanceResultsTest.results;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerformanceReportTest {

    private static final RoomShape ROOMS_OF_10 = new RoomShape(10, 1000, 1000);
    private static final RoomShape ROOMS_OF_2 = new RoomShape(2, 1000, 1500);

    private final PerformanceReport report = new PerformanceReport(results(List.of(
            new LadderResult(ServerUnderTest.BEFORE, ROOMS_OF_10, List.of(Measured.at(1000).nodeCpus(0.4).judged(),
                    Measured.at(1400).nodeCpus(0.9).judged(), Measured.at(1960).nodeCpus(1).p99(300).judged()),
                    Measured.at(700).p99(4).judged()),
            new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10, List.of(Measured.at(1000).nodeCpus(0.2).judged(),
                    Measured.at(1400).nodeCpus(0.3).sentShare(0.9).judged()), Measured.at(500).p99(3).judged()),
            new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_2, List.of(Measured.at(1500).roomsOf(2).p99(500)
                    .judged()), null))), "load-tests/performance-run.sh -DmaxSteps=3", "abc1234");

    @Test
    void eachShapeHasARowPerServerReadAtSaturationOrMarkedNotSaturated() {
        String md = report.markdown();

        assertTrue(md.contains("| before | saturation, 1400 msg/s | 1400 | 14000 | 0.90 | 15556 | 1556 | 64.3 "
                + "| 700, 1.0 / 4.0 | 3.21 | 1960 msg/s failed: e2e p99 300.0 ms over 100 ms |"), md);
        assertTrue(md.contains("| current | not saturated, 1000 msg/s | 1000 | 10000 | 0.20 | 50000 | 5000 | 20.0 "
                + "| 500, 1.0 / 3.0 | 1.00 |"), md);
        assertTrue(md.contains("| current | no step passed |"), md);
    }

    @Test
    void theTargetsSayMetMissedOrNotMeasured() {
        String md = report.markdown();

        assertTrue(md.contains("- current, rooms of 10: deliveries per node-CPU-second: 50,000 (not saturated at "
                + "1000 msg/s, node 0.20 CPU), target ≥ 125,000: **missed**"), md);
        assertTrue(md.contains("- current, rooms of 10: e2e p99 at half capacity: 3.0 ms at 500 msg/s, target ≤ 10 ms: "
                + "**met**"), md);
        assertTrue(md.contains("- current ÷ before, rooms of 2: messages per node-CPU-second: not measured, "
                + "target ≥ 2.5×: **not measured**"), md);
    }

    @Test
    void everyStepIsInTheDetailsTableWithItsVerdict() {
        String md = report.markdown();

        assertTrue(md.contains("<summary>8 measured steps</summary>"), md);
        assertTrue(md.contains("| current | 10 | 2 | 1400 | 1260 | 90 % |"), md);
        assertTrue(md.contains("fail: the generator sent 90 % of the target; 90 % of the target acknowledged |"), md);
        assertEquals(8, md.lines().filter(line -> line.matches("\\| (before|current) \\| (10|2) \\| .*")).count());
    }

    @Test
    void theCommandAndRevisionAreStated() {
        String md = report.markdown();

        assertTrue(md.startsWith("## Single-node performance (load-tests)\n\nMeasured "), md);
        assertTrue(md.contains("from a checkout at commit abc1234"), md);
        assertTrue(md.contains("```\nload-tests/performance-run.sh -DmaxSteps=3\n```"), md);
    }
}
