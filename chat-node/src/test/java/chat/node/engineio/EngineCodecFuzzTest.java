package chat.node.engineio;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Fuzz targets of the Engine.IO framing: whatever text a client sends, decoding answers a packet or
 * {@link MalformedPacketException} (which closes that one session), never another exception. Without
 * {@code JAZZER_FUZZ=1} each runs its seed corpus ({@code src/test/resources/chat/node/engineio/EngineCodecFuzzTestInputs/})
 * as a regression test.
 */
class EngineCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyPacketDecodesOrIsRefusedAsMalformed(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            EnginePacket packet = EngineCodec.decode(text);
            assertThat(packet.type(), notNullValue());
            assertThat("the payload is the packet without its type digit", packet.payload(), is(text.substring(1)));
        } catch (MalformedPacketException refused) {
            assertThat(refused.getMessage(), notNullValue());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyPollingPayloadSplitsIntoPacketsThatJoinBackIntoIt(byte[] input) {
        String payload = new String(input, StandardCharsets.UTF_8);

        List<String> packets = EngineCodec.split(payload);

        assertThat(EngineCodec.join(packets), is(payload));
        for (String packet : packets) {
            assertThat(packet.indexOf(EngineCodec.SEPARATOR), is(-1));
        }
    }
}
