package chat.loadtest.performance;

import chat.loadtest.cluster.ServerKind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerformanceResultsTest {

    private static final RoomShape ROOMS_OF_10 = new RoomShape(10, 1000, 1000);
    private static final RoomShape ROOMS_OF_2 = new RoomShape(2, 1000, 1500);

    @Test
    void theCurrentNodesGainIsItsEfficiencyAtSaturationOverTheOthers() {
        PerformanceResults results = results(List.of(
                ladder(ServerUnderTest.BEFORE, ROOMS_OF_2, Measured.at(4000).roomsOf(2).nodeCpus(0.9)),
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_2, Measured.at(8000).roomsOf(2).nodeCpus(0.6))));

        double gain = results.ratio(ServerUnderTest.CURRENT, ServerUnderTest.BEFORE, ROOMS_OF_2,
                LadderStep::messagesPerNodeCpuSecond).orElseThrow();

        assertEquals((8000 / 0.6) / (4000 / 0.9), gain, 1e-9);
    }

    @Test
    void twoAndAHalfTimesTheBeforeNodesMessagesPerCpuSecondInRoomsOfTwoIsMet() {
        PerformanceResults met = results(List.of(
                ladder(ServerUnderTest.BEFORE, ROOMS_OF_2, Measured.at(4000).roomsOf(2).nodeCpus(0.9)),
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_2, Measured.at(8000).roomsOf(2).nodeCpus(0.7))));
        PerformanceResults missed = results(List.of(
                ladder(ServerUnderTest.BEFORE, ROOMS_OF_2, Measured.at(4000).roomsOf(2).nodeCpus(0.9)),
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_2, Measured.at(8000).roomsOf(2).nodeCpus(0.9))));

        assertTrue(target(met, "current ÷ before, rooms of 2").met());
        assertEquals("2.57× (not both nodes saturated)", target(met, "current ÷ before, rooms of 2").value());
        assertFalse(target(missed, "current ÷ before, rooms of 2").met());
        assertEquals("2.00×", target(missed, "current ÷ before, rooms of 2").value());
    }

    @Test
    void withoutABeforeNodeTheGainIsNotMeasured() {
        PerformanceResults results = results(List.of(
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_2, Measured.at(8000).roomsOf(2).nodeCpus(0.9))));

        Target gain = target(results, "current ÷ before, rooms of 2");

        assertFalse(gain.measured());
        assertEquals("not measured", gain.verdict());
    }

    @Test
    void deliveriesPerNodeCpuSecondInRoomsOfTenAreHeldAgainst125000() {
        PerformanceResults met = results(List.of(
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_10, Measured.at(11_000).nodeCpus(0.85))));
        PerformanceResults missed = results(List.of(
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_10, Measured.at(5000).nodeCpus(0.85))));

        assertTrue(target(met, "current, rooms of 10: deliveries").met());
        assertTrue(target(met, "current, rooms of 10: deliveries").value().contains("saturated at 11000 msg/s"));
        assertFalse(target(missed, "current, rooms of 10: deliveries").met());
    }

    @Test
    void underACapSaturationIsAShareOfTheCapNotOfTheCore() {
        LadderResult ladder = ladder(ServerUnderTest.CURRENT, ROOMS_OF_10, Measured.at(1000).nodeCpus(0.35));

        Saturation capped = results(List.of(ladder), new NodeCap(0.4)).saturation(ServerUnderTest.CURRENT,
                ROOMS_OF_10).orElseThrow();
        Saturation uncapped = results(List.of(ladder)).saturation(ServerUnderTest.CURRENT, ROOMS_OF_10)
                .orElseThrow();

        assertTrue(capped.saturated());
        assertFalse(uncapped.saturated());
    }

    @Test
    void underACapEfficiencyIsDividedByTheCpuTheNodeUsedNotByTheCap() {
        PerformanceResults results = results(List.of(
                ladder(ServerUnderTest.CURRENT, ROOMS_OF_10, Measured.at(1000).nodeCpus(0.35))), new NodeCap(0.4));

        Target deliveries = target(results, "current, rooms of 10: deliveries");

        assertEquals("28,571 (saturated at 1000 msg/s, node 0.35 CPU of its 0.40 CPU cap)", deliveries.value());
    }

    @Test
    void theP99AtHalfCapacityIsHeldAgainstTenMilliseconds() {
        LadderResult fast = new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10,
                List.of(Measured.at(4000).judged()), Measured.at(2000).p99(9.5).judged(), "half");
        LadderResult slow = new LadderResult(ServerUnderTest.CURRENT, ROOMS_OF_10,
                List.of(Measured.at(4000).judged()), Measured.at(2000).p99(12).judged(), "half");

        assertTrue(target(results(List.of(fast)), "current, rooms of 10: e2e p99").met());
        assertFalse(target(results(List.of(slow)), "current, rooms of 10: e2e p99").met());
    }

    @Test
    void aLostDeliveryInAnyStepOfAnyServerMissesTheCorrectnessTarget() {
        LadderResult clean = ladder(ServerUnderTest.CURRENT, ROOMS_OF_10, Measured.at(1000));
        LadderResult lossy = new LadderResult(ServerUnderTest.SOCKET_IO, ROOMS_OF_10,
                List.of(Measured.at(1000).judged()), Measured.at(500).lost(1).judged(), "half");

        assertTrue(results(List.of(clean)).correct());
        assertFalse(results(List.of(clean, lossy)).correct());
        assertFalse(target(results(List.of(clean, lossy)), "deliveries lost").met());
    }

    static LadderResult ladder(String server, RoomShape shape, Measured top) {
        return new LadderResult(server, shape, List.of(top.judged()), null, "");
    }

    /** Results of uncapped ladders. */
    static PerformanceResults results(List<LadderResult> ladders) {
        return results(ladders, NodeCap.NONE);
    }

    /** Results of ladders under {@code cap}, the cap the plan asked for. */
    static PerformanceResults results(List<LadderResult> ladders, NodeCap cap) {
        return results(ladders, cap.cpus(), cap);
    }

    /** Results of ladders run under {@code cap} by a plan that asked for {@code nodeCpu}. */
    static PerformanceResults results(List<LadderResult> ladders, double nodeCpu, NodeCap cap) {
        List<ServerUnderTest> servers = new ArrayList<>();
        for (String name : List.of(ServerUnderTest.BEFORE, ServerUnderTest.CURRENT, ServerUnderTest.SOCKET_IO)) {
            if (ladders.stream().anyMatch(l -> l.server().equals(name))) {
                servers.add(new ServerUnderTest(name, name.equals(ServerUnderTest.SOCKET_IO) ? ServerKind.SOCKET_IO
                        : ServerKind.CHAT_NODE, Path.of(name), name + " server"));
            }
        }
        PerformancePlan plan = new PerformancePlan("", true, List.of(ROOMS_OF_10, ROOMS_OF_2), 5, 10, 20, 30, 1.4, 6,
                100, 0.1, Measured.MIN_RATE_SHARE, nodeCpu, 0.8, 500);
        return new PerformanceResults(plan, servers, ladders, true, cap, Duration.ofMinutes(14));
    }

    private static Target target(PerformanceResults results, String name) {
        return results.targets().stream().filter(t -> t.name().startsWith(name)).findFirst().orElseThrow();
    }
}
