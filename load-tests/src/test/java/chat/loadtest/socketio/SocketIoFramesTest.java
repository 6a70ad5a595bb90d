package chat.loadtest.socketio;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketIoFramesTest {

    @Test
    void connectCarriesTheTokenInTheAuthPayload() {
        assertEquals("40{\"token\":\"abc\"}", SocketIoFrames.connect("abc"));
    }

    @Test
    void joinAsksForAckZero() {
        assertEquals("420[\"join\",{\"room\":\"r1\"}]", SocketIoFrames.join("r1"));
    }

    @Test
    void messageTextStartsWithTheSendTimeAndHasTheRequestedLength() {
        String frame = SocketIoFrames.message(7, "r1", "c1", 1_700_000_000_123L, 40);
        assertTrue(frame.startsWith("427[\"message\",{\"room\":\"r1\",\"text\":\"1700000000123 xxx"), frame);
        assertTrue(frame.endsWith("\",\"cid\":\"c1\"}]"), frame);
        String text = frame.substring(frame.indexOf("\"text\":\"") + 8, frame.indexOf("\",\"cid\""));
        assertEquals(40, text.length());
    }

    @Test
    void messageAckIdsCycleWithoutZero() {
        assertEquals(1, SocketIoFrames.nextMessageAckId(0));
        assertEquals(2, SocketIoFrames.nextMessageAckId(1));
        assertEquals(1, SocketIoFrames.nextMessageAckId(SocketIoFrames.MAX_MESSAGE_ACK_ID));
    }

    @Test
    void deliveryIsReadFromAMessageEvent() {
        String frame = "42[\"message\",{\"id\":\"x\",\"room\":\"r1\",\"seq\":1800000000000001,\"from\":\"u2\","
                + "\"text\":\"1700000000123 xxxx\",\"ts\":1700000000125,\"cid\":\"c9\"}]";
        assertEquals(Optional.of(new Delivery("r1", 1800000000000001L, "u2", 1700000000123L)),
                SocketIoFrames.delivery(frame));
    }

    @Test
    void otherFramesAreNoDelivery() {
        assertEquals(Optional.empty(), SocketIoFrames.delivery("2"));
        assertEquals(Optional.empty(), SocketIoFrames.delivery("431[{\"ok\":true,\"seq\":5}]"));
        assertEquals(Optional.empty(), SocketIoFrames.delivery("42[\"presence\",{\"room\":\"r1\"}]"));
    }

    @Test
    void endpointIsTheEngineIoWebSocketPath() {
        assertEquals("ws://127.0.0.1:8081/socket.io/?EIO=4&transport=websocket",
                SocketIoFrames.endpoint("ws://127.0.0.1:8081/"));
    }
}
