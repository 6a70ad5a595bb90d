package chat.node.limits;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.node.telemetry.NodeMetrics;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Engine.IO sessions per client address (chat.limits.connectionsperaddress): a handshake past the cap is refused on
 * both transports as Engine.IO refuses a forbidden request, the address is the one a trusted proxy forwarded, and
 * every other address keeps connecting. The node trusts 127.0.0.1 as its proxy, so the tests pose as clients
 * behind it with X-Forwarded-For.
 */
@ExtendWith(ChatStackExtension.class)
class AddressLimitTest {
    private static final String REFUSAL = "{\"code\":4,\"message\":\"Too many connections from this address\"}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster(TestStack stack) {
        cluster = TestCluster.of(stack, 1, Map.of(
                "chat.limits.connectionsperaddress", "2",
                "chat.limits.trustedproxies", "127.0.0.1, 10.0.0.0/8"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void handshakePastTheSessionsOfAnAddressGets403OnBothTransportsWhileOtherAddressesConnect() throws Exception {
        String crowded = "203.0.113.7";
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_ADDRESS);
        assertThat(handshake(crowded).body(), startsWith("0{\"sid\":"));
        assertThat(handshake(crowded + ", 10.1.2.3").body(), startsWith("0{\"sid\":"));

        HttpResponse<String> refused = handshake(crowded);
        assertThat(refused.statusCode(), is(403));
        assertThat(refused.body(), is(REFUSAL));
        CompletionException upgrade = assertThrows(CompletionException.class, () -> webSocket(crowded));
        assertThat(upgrade.getCause(), instanceOf(WebSocketHandshakeException.class));
        assertThat(((WebSocketHandshakeException) upgrade.getCause()).getResponse().statusCode(), is(403));

        assertThat(handshake("203.0.113.8").statusCode(), is(200));
        try (SioClient direct = cluster.connect(0, "direct")) {
            assertThat(direct.call("leave", Map.of("room", "general")).path("ok").asBoolean(), is(true));
        }
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_ADDRESS), is(before + 2));
    }

    @Test
    void aClosedSessionFreesItsAddressSlot() throws Exception {
        String address = "198.51.100.20";
        String sid = sid(handshake(address).body());
        assertThat(handshake(address).statusCode(), is(200));
        assertThat(handshake(address).statusCode(), is(403));

        HttpResponse<String> close = HTTP.send(HttpRequest.newBuilder(URI.create(polling() + "&sid=" + sid))
                .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString("1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(close.statusCode(), is(200));
        await("the closed session's slot").atMost(Duration.ofSeconds(10))
                .until(() -> handshake(address).statusCode() == 200);
    }

    /**
     * A peer that vanishes (a reset, no close frame) is noticed at once, long before the heartbeat would give up on
     * it (45 s here).
     */
    @Test
    void aWebSocketDroppedWithoutACloseFrameFreesItsSlotWithinSeconds() throws Exception {
        String address = "198.51.100.30";
        assertThat(handshake(address).statusCode(), is(200));
        Socket raw = new Socket("127.0.0.1", cluster.port(0));
        OutputStream out = raw.getOutputStream();
        out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nX-Forwarded-For: " + address + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] answer = new byte[256];
        int read = raw.getInputStream().read(answer);
        assertThat(new String(answer, 0, read, StandardCharsets.ISO_8859_1), startsWith("HTTP/1.1 101"));
        assertThat("both slots taken", handshake(address).statusCode(), is(403));

        raw.setSoLinger(true, 0);
        raw.close();

        await("the vanished socket's slot").atMost(Duration.ofSeconds(5))
                .until(() -> handshake(address).statusCode() == 200);
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        HttpClient untrusted = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> accepted = untrusted.send(HttpRequest.newBuilder(URI.create(polling()))
                    .header("X-Forwarded-For", "192.0.2." + i).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode(), is(200));
        }
        HttpResponse<String> refused = untrusted.send(HttpRequest.newBuilder(URI.create(polling()))
                .header("X-Forwarded-For", "192.0.2.99").build(), HttpResponse.BodyHandlers.ofString());
        assertThat("the third session of 127.0.0.2, whatever it claims", refused.statusCode(), is(403));
    }

    private static HttpResponse<String> handshake(String forwardedFor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(polling())).header("X-Forwarded-For", forwardedFor)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebSocket webSocket(String forwardedFor) {
        return HTTP.newWebSocketBuilder().header("X-Forwarded-For", forwardedFor)
                .buildAsync(URI.create("ws://127.0.0.1:" + cluster.port(0) + "/socket.io/?EIO=4&transport=websocket"),
                        new WebSocket.Listener() { })
                .join();
    }

    private static String polling() {
        return "http://127.0.0.1:" + cluster.port(0) + "/socket.io/?EIO=4&transport=polling";
    }

    private static String sid(String openPacket) {
        int start = openPacket.indexOf("\"sid\":\"") + 7;
        return openPacket.substring(start, openPacket.indexOf('"', start));
    }
}
