package chat.loadtest.performance;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PerformancePlanTest {

    @Test
    void eachRoomSizeTakesItsOwnValueOrTheOneGivenForAll() {
        List<RoomShape> shapes = PerformancePlan.shapes("10, 2", "1000", "500,1500");

        assertEquals(List.of(new RoomShape(10, 1000, 500), new RoomShape(2, 1000, 1500)), shapes);
    }

    @Test
    void theNodeIsCappedOnlyAtAShareOfACoreAndOnlyWhereCapsAreAvailable() {
        assertEquals(new NodeCap(0.4), plan(0.4).nodeCap(true));
        assertEquals(NodeCap.NONE, plan(0.4).nodeCap(false));
        assertEquals(NodeCap.NONE, plan(0).nodeCap(true));
        assertEquals(NodeCap.NONE, plan(1).nodeCap(true));
    }

    @Test
    void tooFewValuesForTheRoomSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PerformancePlan.shapes("10,2,5", "1000,800", "500"));
    }

    private static PerformancePlan plan(double nodeCpu) {
        return new PerformancePlan("", false, List.of(new RoomShape(10, 1000, 400)), 5, 10, 20, 30, 1.4, 6, 100, 0.1,
                0.97, nodeCpu, 0.8, 500);
    }
}
