package chat.node.engineio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineCodecTest {

    @Test
    void packetsAreSplitIntoTypeAndPayload() throws MalformedPacketException {
        assertThat(EngineCodec.decode("3"), is(new EnginePacket(EnginePacket.Type.PONG, "")));
        assertThat(EngineCodec.decode("2probe"), is(new EnginePacket(EnginePacket.Type.PING, "probe")));
        assertThat(EngineCodec.decode("1"), is(new EnginePacket(EnginePacket.Type.CLOSE, "")));
        assertThat(EngineCodec.decode("42[\"a\"]"), is(new EnginePacket(EnginePacket.Type.MESSAGE, "2[\"a\"]")));
        assertThat(EngineCodec.decode("5"), is(new EnginePacket(EnginePacket.Type.UPGRADE, "")));
        assertThat(EngineCodec.decode("6"), is(new EnginePacket(EnginePacket.Type.NOOP, "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "9abc", "x", "-1", " 4", "bAQIDBA=="})
    void unknownAndBinaryPacketsAreMalformed(String packet) {
        assertThrows(MalformedPacketException.class, () -> EngineCodec.decode(packet));
    }

    @Test
    void pollingPayloadsJoinPacketsWithTheRecordSeparator() {
        assertThat(EngineCodec.join(List.of("4hello")), is("4hello"));
        assertThat(EngineCodec.join(List.of("2", "42[\"a\"]", "6")), is("2\u001e42[\"a\"]\u001e6"));
        assertThat(EngineCodec.split("4test1\u001e4test2\u001e4test3"), is(List.of("4test1", "4test2", "4test3")));
        assertThat(EngineCodec.split("3"), is(List.of("3")));
    }

    @Test
    void splitUndoesJoinForAnyPackets() {
        List<String> packets = List.of("40{\"token\":\"t\"}", "", "42[\"message\",{\"text\":\"é ☃\"}]", "3");
        assertThat(EngineCodec.split(EngineCodec.join(packets)), is(packets));
    }

    @Test
    void openPacketOffersTheWebSocketOnlyToPollingSessions() {
        assertThat(EngineCodec.open("s1", false, 25000, 20000, 1000000),
                is("0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                        + "\"maxPayload\":1000000}"));
        assertThat(EngineCodec.open("s1", true, 300, 200, 1000),
                is("0{\"sid\":\"s1\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,\"pingTimeout\":200,"
                        + "\"maxPayload\":1000}"));
    }

    @Test
    void refusalsCarryEngineIoErrorCodes() {
        assertThat(EngineCodec.error(EngineError.UNKNOWN_SID), is("{\"code\":1,\"message\":\"Session ID unknown\"}"));
        assertThat(EngineCodec.error(EngineError.UNKNOWN_TRANSPORT), is("{\"code\":0,\"message\":\"Transport unknown\"}"));
    }
}
