package chat.node.socketio;

import chat.node.engineio.EngineCodec;
import chat.node.engineio.EnginePacket;
import chat.node.engineio.MalformedPacketException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketIoCodecTest {

    @Test
    void connectWithTokenIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("0{\"token\":\"abc\"}");
        assertThat(packet.type(), is(PacketType.CONNECT));
        assertThat(packet.namespace(), is("/"));
        assertThat(packet.wantsAck(), is(false));
        assertThat(packet.data(), is("{\"token\":\"abc\"}"));
    }

    @Test
    void connectWithoutPayloadIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("0");
        assertThat(packet.type(), is(PacketType.CONNECT));
        assertThat(packet.data(), nullValue());
    }

    @Test
    void connectToOtherNamespaceKeepsTheNamespace() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("0/admin,{\"token\":\"t\"}");
        assertThat(packet.namespace(), is("/admin"));
        assertThat(packet.data(), is("{\"token\":\"t\"}"));
        assertThat(SocketIoCodec.decode("0/admin").namespace(), is("/admin"));
    }

    @Test
    void eventWithoutAckIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("2[\"typing\",{\"room\":\"r\"}]");
        assertThat(packet.type(), is(PacketType.EVENT));
        assertThat(packet.ackId(), is(Packet.NO_ACK));
        assertThat(packet.data(), is("[\"typing\",{\"room\":\"r\"}]"));
    }

    @Test
    void eventWithAckIdIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("2123[\"join\",{\"room\":\"r\"}]");
        assertThat(packet.type(), is(PacketType.EVENT));
        assertThat(packet.ackId(), is(123L));
        assertThat(packet.data(), is("[\"join\",{\"room\":\"r\"}]"));
    }

    @Test
    void eventInNamespaceWithAckIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("2/chat,7[\"x\"]");
        assertThat(packet.namespace(), is("/chat"));
        assertThat(packet.ackId(), is(7L));
    }

    @Test
    void ackFromClientIsDecoded() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("35[{\"ok\":true}]");
        assertThat(packet.type(), is(PacketType.ACK));
        assertThat(packet.ackId(), is(5L));
    }

    @Test
    void disconnectIsDecoded() throws MalformedPacketException {
        assertThat(SocketIoCodec.decode("1").type(), is(PacketType.DISCONNECT));
    }

    @Test
    void binaryEventKeepsItsAckIdSoItCanBeRefused() throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode("51-9[\"message\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(packet.type(), is(PacketType.BINARY_EVENT));
        assertThat(packet.ackId(), is(9L));
        assertThat(SocketIoCodec.decode("61-4[{\"_placeholder\":true,\"num\":0}]").type(), is(PacketType.BINARY_ACK));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                          // nothing
        "9",                         // unknown type
        "2",                         // event without payload
        "2{\"a\":1}",                // event payload not an array
        "2abc",                      // garbage after type
        "212x[\"a\"]",               // garbage between ack id and payload
        "3[\"a\"]",                  // ack without id
        "3",                         // ack without anything
        "0[\"token\"]",              // connect payload not an object
        "5[\"a\"]",                  // binary event without attachment count
        "5x-[\"a\"]",                // binary event with a bad attachment count
        "21234567890123456[\"a\"]",  // ack id too long
        "2 [\"a\"]"                  // space before payload
    })
    void malformedPacketsAreRefused(String text) {
        assertThrows(MalformedPacketException.class, () -> SocketIoCodec.decode(text));
    }

    @Test
    void serverPacketsAreEncodedAsTheProtocolShows() {
        assertThat(SocketIoCodec.connectAccepted("abc"), is("40{\"sid\":\"abc\"}"));
        assertThat(SocketIoCodec.connectError("/", "\"unauthorized\""), is("44{\"message\":\"unauthorized\"}"));
        assertThat(SocketIoCodec.connectError("/other", "\"Invalid namespace\""),
                is("44/other,{\"message\":\"Invalid namespace\"}"));
        assertThat(SocketIoCodec.event("\"message\"", "{\"a\":1}"), is("42[\"message\",{\"a\":1}]"));
        assertThat(SocketIoCodec.ack(12, "{\"ok\":true}"), is("4312[{\"ok\":true}]"));
        assertThat(SocketIoCodec.disconnect(), is("41"));
    }

    @Test
    void everyEncodedEventDecodesBack() throws MalformedPacketException {
        String frame = SocketIoCodec.event("\"dm\"", "{\"text\":\"hi\"}");
        EnginePacket engine = EngineCodec.decode(frame);
        Packet packet = SocketIoCodec.decode(engine.payload());
        assertThat(packet.type(), is(PacketType.EVENT));
        assertThat(packet.data(), is("[\"dm\",{\"text\":\"hi\"}]"));
    }

    @Test
    void randomInputNeverThrowsAnythingButMalformedPacket() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "0123456789/,[]{}\"-abc ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Packet packet = SocketIoCodec.decode(text.toString());
                assertThat(packet.type() != null, is(true));
            } catch (MalformedPacketException expected) {
                // refused with a reason: the contract for bad input
            }
        }
    }
}
