package chat.loadtest.performance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeCapTest {

    @Test
    void aCappedNodeSaturatesAtTheShareOfItsCapAndAnUncappedOneAtTheShareOfItsCore() {
        assertEquals(0.32, new NodeCap(0.4).saturatedCpus(0.8), 1e-9);
        assertEquals(0.8, NodeCap.NONE.saturatedCpus(0.8), 1e-9);
    }

    @Test
    void aCappedNodesCeilingIsItsCapAndAnUncappedOnesItsOneCore() {
        assertEquals(0.4, new NodeCap(0.4).ceiling(), 1e-9);
        assertEquals(1, NodeCap.NONE.ceiling(), 1e-9);
    }

    @Test
    void aCappedNodeGetsUsersAtItsShareOfTheUncappedArrivalRate() {
        assertEquals(200, new NodeCap(0.4).arrivalRate(500));
        assertEquals(500, NodeCap.NONE.arrivalRate(500));
    }
}
