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
                    Measured.at(700).p99(4).judged(), "half the highest passing rate, 1400 msg/s"),
            new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10, List.of(Measured.at(1000).nodeCpus(0.2).judged(),
                    Measured.at(1400).nodeCpus(0.3).sentShare(0.9).judged()), Measured.at(500).p99(3).judged(),
                    "half the highest passing rate, 1000 msg/s"),
            new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_2, List.of(Measured.at(1500).roomsOf(2).p99(500)
                    .judged()), null, ""))), "load-tests/performance-run.sh -DmaxSteps=3", "abc1234");

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
    void aCappedRunSaysTheCapAndThatTheHalfCapacityStepRanUncappedAndWhyAtItsRate() {
        List<LadderStep> ladder = List.of(Measured.at(500).nodeCpus(0.2).judged(),
                Measured.at(700).nodeCpus(0.35).throttled(0.25).judged());
        String reason = HalfCapacity.of(ladder, Saturation.find(ladder, 0.32), new NodeCap(0.4)).orElseThrow()
                .reason();
        String md = new PerformanceReport(results(List.of(new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10,
                ladder, Measured.at(875).p99(4).judged(), reason)), new NodeCap(0.4)), "run", "abc1234").markdown();

        assertTrue(md.contains("Each server is capped at 0.40 CPU (a CFS quota on its cgroup, 10 ms periods) during "
                + "its ladders, and uncapped for its warm-ups and half-capacity steps"), md);
        assertTrue(md.contains("After each warm-up the cap is applied and an unmeasured step at half the first rate "
                + "(10 s; 5 s for Node.js)"), md);
        assertTrue(md.contains("Users arrive at 200 a second at the start of each step, 500 × the cap"), md);
        assertTrue(md.contains("where the node used 80 % of its cap or more (0.32 CPU"), md);
        assertTrue(md.contains("- current: half capacity at 875 msg/s, uncapped: half of the highest passing rate "
                + "scaled to one core (700 msg/s ÷ 0.40 CPU = 1750 msg/s)"), md);
        assertTrue(md.contains("| current | 10 | 2 | 700 | 700 | 100 % | 7000 | 0.35 | 0.40, 25 % |"), md);
        assertTrue(md.contains("| current | 10 | half | 875 | 875 | 100 % | 8750 | 0.50 | none |"), md);
    }

    @Test
    void aCapAskedForOnAMachineWithoutCapsIsReportedAsNotApplied() {
        String md = new PerformanceReport(results(List.of(new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10,
                List.of(Measured.at(1000).judged()), null, "")), 0.4, NodeCap.NONE), "run", "abc1234").markdown();

        assertTrue(md.contains("The run asked for a cap of 0.40 CPU on each server during its ladders, but this "
                + "machine has no writable cgroup v1 CPU controller: every step ran uncapped."), md);
        assertTrue(md.contains("where the node used 80 % of its one core or more (0.80 CPU"), md);
    }

    @Test
    void theCommandAndRevisionAreStated() {
        String md = report.markdown();

        assertTrue(md.startsWith("## Single-node performance (load-tests)\n\nMeasured "), md);
        assertTrue(md.contains("from a checkout at commit abc1234"), md);
        assertTrue(md.contains("```\nload-tests/performance-run.sh -DmaxSteps=3\n```"), md);
    }
}
