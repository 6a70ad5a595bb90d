package chat.node.engineio;

import chat.stack.ChatStackExtension;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static chat.node.engineio.EngineHttp.session;
import static chat.node.engineio.EngineSocket.WEBSOCKET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The Engine.IO heartbeat on both transports, with the short timings of the protocol's public test suite: the
 * server pings every 300 ms and closes a session whose client has not answered 200 ms after a ping.
 */
@ExtendWith(ChatStackExtension.class)
@ServerTest
class HeartbeatConformanceTest {
    private static final long PING_INTERVAL = 300;
    private static final long PING_TIMEOUT = 200;
    /** What a busy two-core machine may add to the server's timers before a silent client is cut off. */
    private static final long SLACK = 700;
    private static final int ROUNDS = 3;

    private final URI server;
    private final EngineHttp http;

    HeartbeatConformanceTest(URI server) {
        this.server = server;
        this.http = new EngineHttp(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        ConformanceNode.setUp(server, Map.of("chat.engine.pinginterval", Long.toString(PING_INTERVAL),
                "chat.engine.pingtimeout", Long.toString(PING_TIMEOUT)));
    }

    @Test
    void pollingSessionIsPingedAndKeptAliveByPongs() {
        String sid = http.openSession();

        for (int round = 1; round <= ROUNDS; round++) {
            HttpResponse<String> ping = http.get(session(sid));
            assertThat("poll of round " + round, ping.body(), is("2"));

            HttpResponse<String> pong = http.post(session(sid), "3");
            assertThat("pong of round " + round + ": " + pong.body(), pong.statusCode(), is(200));
        }
    }

    @Test
    void pollingSessionIsClosedWhenAPingIsNotAnswered() throws InterruptedException {
        String sid = http.openSession();

        Thread.sleep(PING_INTERVAL + PING_TIMEOUT + SLACK);

        assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    @Test
    void webSocketIsPingedAndKeptAliveByPongs() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            assertThat(socket.next(), startsWith("0{"));

            for (int round = 1; round <= ROUNDS; round++) {
                assertThat("frame of round " + round, socket.next(), is("2"));
                socket.send("3");
            }
        }
    }

    @Test
    void webSocketIsClosedWhenAPingIsNotAnswered() {
        try (EngineSocket socket = EngineSocket.open(server, WEBSOCKET)) {
            assertThat(socket.next(), startsWith("0{"));

            assertThat(socket.awaitClosed(Duration.ofMillis(PING_INTERVAL + PING_TIMEOUT + SLACK)), is(true));
        }
    }
}
