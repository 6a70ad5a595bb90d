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
    void tooFewValuesForTheRoomSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PerformancePlan.shapes("10,2,5", "1000,800", "500"));
    }
}
