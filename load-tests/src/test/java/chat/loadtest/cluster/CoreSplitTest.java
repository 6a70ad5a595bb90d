package chat.loadtest.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreSplitTest {

    @Test
    void onTwoCoresTheNodeGetsCoreOneAndEverythingElseCoreZero() {
        CoreSplit split = CoreSplit.of(2, true);

        assertTrue(split.pinned());
        assertEquals(1, split.nodeCore());
        assertEquals("0", split.supportCores());
    }

    @Test
    void onEightCoresTheNodeGetsTheLastAndEverythingElseTheOtherSeven() {
        CoreSplit split = CoreSplit.of(8, true);

        assertEquals(7, split.nodeCore());
        assertEquals("0-6", split.supportCores());
    }

    @Test
    void withoutCpuCapsOrWithOneCoreNothingIsPinned() {
        assertFalse(CoreSplit.of(2, false).pinned());
        assertFalse(CoreSplit.of(1, true).pinned());
        assertEquals(-1, CoreSplit.of(2, false).nodeCore());
    }
}
