package chat.loadtest.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameScanTest {

    private static final String MESSAGE = "42[\"message\",{\"id\":\"0193-ab\",\"room\":\"lt1-r0\",\"seq\":1733400000123,"
            + "\"from\":\"lt1-u3\",\"name\":null,\"text\":\"98765 xxxx\",\"ts\":1733400000999},\"lt1-r0:1733400000123\"]";

    @Test
    void readsTheRoomSenderSeqAndSendTimeOfAMessageFrame() {
        byte[] frame = FrameScan.ascii(MESSAGE);
        int length = frame.length;

        assertTrue(FrameScan.startsWith(frame, length, FrameScan.MESSAGE_EVENT));
        assertEquals(1, FrameScan.stringAfterEquals(frame, length, FrameScan.ROOM_KEY, FrameScan.ascii("lt1-r0")));
        assertEquals(0, FrameScan.stringAfterEquals(frame, length, FrameScan.ROOM_KEY, FrameScan.ascii("lt1-r")));
        assertEquals(0, FrameScan.stringAfterEquals(frame, length, FrameScan.ROOM_KEY, FrameScan.ascii("lt1-r01")));
        assertEquals(1, FrameScan.stringAfterEquals(frame, length, FrameScan.FROM_KEY, FrameScan.ascii("lt1-u3")));
        assertEquals(1733400000123L, FrameScan.numberAfter(frame, length, FrameScan.SEQ_KEY));
        assertEquals(98765L, FrameScan.numberAfter(frame, length, FrameScan.TEXT_KEY));
    }

    @Test
    void onlyTheGivenLengthOfTheBufferCounts() {
        byte[] buffer = new byte[512];
        byte[] frame = FrameScan.ascii(MESSAGE);
        System.arraycopy(frame, 0, buffer, 0, frame.length);
        int cut = MESSAGE.indexOf("\"seq\":") + 3;

        assertEquals(-1, FrameScan.numberAfter(buffer, cut, FrameScan.SEQ_KEY), "the key is cut off");
        assertEquals(1733400000123L, FrameScan.numberAfter(buffer, frame.length, FrameScan.SEQ_KEY));
    }

    @Test
    void missingOrMalformedFieldsAreReportedNotGuessed() {
        byte[] noRoom = FrameScan.ascii("42[\"message\",{\"seq\":5}]");
        assertEquals(-1, FrameScan.stringAfterEquals(noRoom, noRoom.length, FrameScan.ROOM_KEY, FrameScan.ascii("r")));
        byte[] escaped = FrameScan.ascii("42[\"message\",{\"room\":\"r\\\"x\",\"seq\":5}]");
        assertEquals(0, FrameScan.stringAfterEquals(escaped, escaped.length, FrameScan.ROOM_KEY, FrameScan.ascii("r")));
        byte[] noDigits = FrameScan.ascii("{\"seq\":null}");
        assertEquals(-1, FrameScan.numberAfter(noDigits, noDigits.length, FrameScan.SEQ_KEY));
        byte[] tooLong = FrameScan.ascii("{\"seq\":1234567890123456789}");
        assertEquals(-1, FrameScan.numberAfter(tooLong, tooLong.length, FrameScan.SEQ_KEY));
    }

    @Test
    void readsTheIdOfAnAckAndNothingElse() {
        byte[] ack = FrameScan.ascii("4317[{\"ok\":true,\"id\":\"x\",\"seq\":42,\"ts\":1}]");
        assertEquals(17, FrameScan.ackId(ack, ack.length));
        assertTrue(FrameScan.indexOf(ack, ack.length, FrameScan.OK_TRUE, 0) > 0);
        byte[] joinAck = FrameScan.ascii("430[{\"ok\":true,\"seq\":0}]");
        assertEquals(0, FrameScan.ackId(joinAck, joinAck.length));
        byte[] event = FrameScan.ascii(MESSAGE);
        assertEquals(-1, FrameScan.ackId(event, event.length));
        byte[] refused = FrameScan.ascii("435[{\"ok\":false,\"error\":{\"code\":\"rate_limited\"}}]");
        assertFalse(FrameScan.indexOf(refused, refused.length, FrameScan.OK_TRUE, 0) >= 0);
    }
}
