package chat.node.socketio;

import chat.node.engineio.MalformedPacketException;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Fuzz target of the Socket.IO framing: whatever an Engine.IO message carries, decoding answers a well-formed packet
 * or {@link MalformedPacketException} (which closes that one session), never another exception. Without
 * {@code JAZZER_FUZZ=1} it runs its seed corpus
 * ({@code src/test/resources/chat/node/socketio/SocketIoCodecFuzzTestInputs/}) as a regression test.
 */
class SocketIoCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyMessageDecodesToAWellFormedPacketOrIsRefusedAsMalformed(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Packet packet;
        try {
            packet = SocketIoCodec.decode(text);
        } catch (MalformedPacketException refused) {
            assertThat(refused.getMessage(), notNullValue());
            return;
        }
        assertThat(packet.type(), notNullValue());
        assertThat(packet.namespace(), startsWith("/"));
        assertThat(packet.ackId(), anyOf(is(Packet.NO_ACK), greaterThanOrEqualTo(0L)));
        if (packet.type() == PacketType.EVENT || packet.type() == PacketType.ACK) {
            assertThat("what reaches the JSON parser is an array", packet.data(), startsWith("["));
        }
        if (packet.data() != null) {
            assertThat("a payload is a JSON array or object", packet.data(), anyOf(startsWith("["), startsWith("{")));
        }
    }
}
