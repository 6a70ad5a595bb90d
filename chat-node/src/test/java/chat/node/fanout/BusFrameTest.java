package chat.node.fanout;

import chat.common.MalformedRecordException;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BusFrameTest {

    @Test
    void frameSurvivesEncodeAndDecode() {
        BusFrame frame = new BusFrame("typing", 0, 1700000000000L, "00-abc-def-01", "alice", "{\"room\":\"r\"}");
        assertThat(BusFrame.decode(frame.encode()), is(frame));
    }

    @Test
    void absentTraceAndExcludeRoundTripAsNull() {
        BusFrame frame = new BusFrame("message", 17, 5, null, null, "{\"seq\":17}");
        assertThat(frame.encode(), is("message 17 5 - -\n{\"seq\":17}"));
        assertThat(BusFrame.decode(frame.encode()), is(frame));
    }

    @Test
    void headBuiltInPiecesMatchesTheWholeHead() {
        String head = BusFrame.headBeforeSeq("dm") + 42 + BusFrame.headAfterSeq(9, null, null);
        assertThat(BusFrame.decode(head + "\n{}"), is(new BusFrame("dm", 42, 9, null, null, "{}")));
    }

    @Test
    void bodyMayContainNewlines() {
        BusFrame frame = new BusFrame("message", 1, 1, null, null, "{\"text\":\"a\\nb\"}\n");
        assertThat(BusFrame.decode(frame.encode()).body(), is("{\"text\":\"a\\nb\"}\n"));
    }

    @Test
    void malformedFramesAreRefused() {
        assertThrows(MalformedRecordException.class, () -> BusFrame.decode("no newline"));
        assertThrows(MalformedRecordException.class, () -> BusFrame.decode("message 1 2\n{}"));
        assertThrows(MalformedRecordException.class, () -> BusFrame.decode("message x 2 - -\n{}"));
    }
}
