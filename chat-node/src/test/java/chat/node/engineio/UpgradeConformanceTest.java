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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static chat.node.engineio.EngineHttp.session;
import static chat.node.engineio.EngineSocket.upgrading;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The upgrade of a polling session to a WebSocket ({@code 2probe}, {@code 3probe}, {@code 5}), the cases of the
 * protocol's public test suite and our spec, on a node with the default heartbeat and a short upgrade timeout.
 */
@ExtendWith(ChatStackExtension.class)
@ServerTest
class UpgradeConformanceTest {
    private static final long UPGRADE_TIMEOUT = 500;
    /** Long enough for a GET sent first to be waiting on the server when the next request arrives. */
    private static final long SETTLE_MILLIS = 300;
    private static final String CONNECTED = "40{\"sid\":\"";

    private final URI server;
    private final EngineHttp http;

    UpgradeConformanceTest(URI server) {
        this.server = server;
        this.http = new EngineHttp(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        ConformanceNode.setUp(server, Map.of("chat.engine.upgradetimeout", Long.toString(UPGRADE_TIMEOUT)));
    }

    @Test
    void probeIsAnsweredAndReleasesThePendingPollWithNoop() throws Exception {
        String sid = http.openSession();
        CompletableFuture<HttpResponse<String>> poll = http.startPoll(sid);
        Thread.sleep(SETTLE_MILLIS);
        try (EngineSocket probe = EngineSocket.open(server, upgrading(sid))) {

            probe.send("2probe");

            assertThat(probe.next(), is("3probe"));
            HttpResponse<String> released = poll.get(5, TimeUnit.SECONDS);
            assertThat(released.statusCode(), is(200));
            assertThat(released.body(), is("6"));
        }
    }

    @Test
    void pollDuringTheProbeIsAnsweredWithNoopAtOnce() {
        String sid = http.openSession();
        try (EngineSocket probe = EngineSocket.open(server, upgrading(sid))) {
            probe.send("2probe");
            assertThat(probe.next(), is("3probe"));

            HttpResponse<String> poll = http.get(session(sid));

            assertThat(poll.statusCode(), is(200));
            assertThat(poll.body(), is("6"));
        }
    }

    @Test
    void upgradedSessionCarriesItsTrafficOnTheWebSocket() {
        String sid = http.openSession();
        try (EngineSocket socket = EngineSocket.open(server, upgrading(sid))) {
            socket.send("2probe");
            assertThat(socket.next(), is("3probe"));
            socket.send("5");

            socket.send(ConformanceNode.connectPacket("alice"));

            assertThat(socket.next(), startsWith(CONNECTED));
        }
    }

    @Test
    void packetsQueuedOnPollingBeforeTheUpgradeAreDeliveredOnTheWebSocket() {
        String sid = http.openSession();
        http.post(session(sid), ConformanceNode.connectPacket("alice"));
        try (EngineSocket socket = EngineSocket.open(server, upgrading(sid))) {
            socket.send("2probe");
            assertThat(socket.next(), is("3probe"));

            socket.send("5");

            assertThat(socket.next(), startsWith(CONNECTED));
        }
    }

    @Test
    void pollingWithTheSidOfAnUpgradedSessionIsRefusedWithCode3() {
        String sid = http.openSession();
        try (EngineSocket socket = upgradeAndConnect(sid)) {

            assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.BAD_REQUEST));
            assertThat(ErrorAnswer.of(http.post(session(sid), "6")), is(ErrorAnswer.BAD_REQUEST));
        }
    }

    @Test
    void secondWebSocketWithTheSidOfAnUpgradedSessionIsClosedAtOnceAndTheSessionGoesOn() {
        String sid = http.openSession();
        try (EngineSocket socket = upgradeAndConnect(sid)) {

            try (EngineSocket second = EngineSocket.open(server, upgrading(sid))) {
                assertThat(second.awaitClosed(Duration.ofSeconds(5)), is(true));
            }

            socket.send("421[\"no-such-event\",{}]");
            assertThat("the upgraded socket still serves", socket.next(), startsWith("431["));
        }
    }

    @Test
    void webSocketWithAnUnknownSidIsRefused() {
        assertThat(EngineSocket.refusal(server, upgrading("no-such-session")), is(400));
    }

    @Test
    void probeThatDoesNotUpgradeIsClosedAndTheSessionStaysOnPolling() {
        String sid = http.openSession();
        try (EngineSocket probe = EngineSocket.open(server, upgrading(sid))) {
            probe.send("2probe");
            assertThat(probe.next(), is("3probe"));

            assertThat(probe.awaitClosed(Duration.ofMillis(UPGRADE_TIMEOUT + 2000)), is(true));
        }

        http.post(session(sid), ConformanceNode.connectPacket("alice"));
        assertThat(http.pollPackets(sid, 1), contains(startsWith(CONNECTED)));
    }

    /**
     * Upgrades the polling session and connects Socket.IO over the new WebSocket: the answer arriving there is the
     * proof that the server has taken the {@code 5} and moved the session.
     */
    private EngineSocket upgradeAndConnect(String sid) {
        EngineSocket socket = EngineSocket.open(server, upgrading(sid));
        socket.send("2probe");
        assertThat(socket.next(), is("3probe"));
        socket.send("5");
        socket.send(ConformanceNode.connectPacket("alice"));
        assertThat(socket.next(), startsWith(CONNECTED));
        return socket;
    }
}
