package chat.node.engineio;

import chat.stack.ChatStackExtension;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static chat.node.engineio.EngineSocket.WEBSOCKET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isEmptyOrNullString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Engine.IO v4 over a WebSocket opened directly (no polling first), the cases of the protocol's public test suite
 * and our spec, on a node with the default settings.
 */
@ExtendWith(ChatStackExtension.class)
@ServerTest
class WebSocketConformanceTest {
    /** The server sends its close packet and closes after what is queued; this is plenty for that. */
    private static final Duration CLOSING = Duration.ofSeconds(5);

    private final URI server;

    WebSocketConformanceTest(URI server) {
        this.server = server;
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        ConformanceNode.setUp(server, Map.of());
    }

    @Test
    void handshakeOpensSessionWithNothingToUpgradeTo() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            OpenPacket open = OpenPacket.parse(socket.next());

            assertThat(open.fields(), is(OpenPacket.FIELDS));
            assertThat(open.sid(), not(isEmptyOrNullString()));
            assertThat(open.upgrades(), is(empty()));
            assertThat(List.of(open.pingInterval(), open.pingTimeout(), open.maxPayload()),
                    contains(25_000L, 20_000L, 1_000_000L));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport=websocket", "EIO=abc&transport=websocket", "EIO=3&transport=websocket"})
    void upgradeWithoutProtocolVersion4IsRefused(String query) {
        assertThat(EngineSocket.refusal(server, query), is(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc"})
    void upgradeWithoutWebSocketTransportIsRefused(String query) {
        assertThat(EngineSocket.refusal(server, query), is(400));
    }

    @Test
    void socketIoConnectIsAnswered() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            socket.next();

            socket.send(ConformanceNode.connectPacket("alice"));

            assertThat(socket.next(), startsWith("40{\"sid\":\""));
        }
    }

    @Test
    void closePacketClosesTheSocket() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            socket.next();

            socket.send("1");

            assertThat(socket.awaitClosed(CLOSING), is(true));
        }
    }

    @Test
    void invalidPacketClosesTheSocket() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            socket.next();

            socket.send("abc");

            assertThat(socket.awaitClosed(CLOSING), is(true));
        }
    }

    @Test
    void pollingWithTheSidOfAWebSocketSessionIsRefusedWithCode3() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            String sid = OpenPacket.parse(socket.next()).sid();
            EngineHttp http = new EngineHttp(server);

            assertThat(ErrorAnswer.of(http.get(EngineHttp.session(sid))), is(ErrorAnswer.BAD_REQUEST));
            assertThat(ErrorAnswer.of(http.post(EngineHttp.session(sid), "6")), is(ErrorAnswer.BAD_REQUEST));
        }
    }
}
