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
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static chat.node.engineio.EngineHttp.POLLING;
import static chat.node.engineio.EngineHttp.SEPARATOR;
import static chat.node.engineio.EngineHttp.session;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isEmptyOrNullString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Engine.IO v4 over HTTP long-polling, the cases of the protocol's public test suite and our spec, on a node with
 * the default heartbeat (so that no ping comes within a test) and a small maxPayload.
 */
@ExtendWith(ChatStackExtension.class)
@ServerTest
class PollingConformanceTest {
    private static final int MAX_PAYLOAD = 10_000;
    /** Long enough for a GET sent first to be waiting on the server when the next request arrives. */
    private static final long SETTLE_MILLIS = 300;

    private final EngineHttp http;

    PollingConformanceTest(URI server) {
        this.http = new EngineHttp(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        ConformanceNode.setUp(server, Map.of("chat.engine.maxpayload", Integer.toString(MAX_PAYLOAD)));
    }

    @Test
    void handshakeOpensSessionThatMayUpgradeToWebSocket() {
        HttpResponse<String> handshake = http.get(POLLING);

        assertThat(handshake.body(), handshake.statusCode(), is(200));
        assertThat(contentType(handshake), is("text/plain;charset=utf-8"));
        OpenPacket open = OpenPacket.parse(handshake.body());
        assertThat(open.fields(), is(OpenPacket.FIELDS));
        assertThat(open.sid(), not(isEmptyOrNullString()));
        assertThat(open.upgrades(), contains("websocket"));
        assertThat(List.of(open.pingInterval(), open.pingTimeout(), open.maxPayload()),
                contains(25_000L, 20_000L, (long) MAX_PAYLOAD));
    }

    @Test
    void handshakeIsServedWithoutTheTrailingSlashToo() {
        HttpResponse<String> handshake = http.send(http.requestAt("/socket.io", POLLING).GET());

        assertThat(handshake.body(), handshake.statusCode(), is(200));
        assertThat(handshake.body(), startsWith("0{"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling"})
    void handshakeWithoutProtocolVersion4IsRefusedWithCode5(String query) {
        assertThat(ErrorAnswer.of(http.get(query)), is(ErrorAnswer.UNSUPPORTED_PROTOCOL_VERSION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4", "EIO=4&transport=abc"})
    void handshakeWithoutKnownTransportIsRefusedWithCode0(String query) {
        assertThat(ErrorAnswer.of(http.get(query)), is(ErrorAnswer.TRANSPORT_UNKNOWN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    void handshakeByAnotherMethodThanGetIsRefusedWithCode2(String method) {
        HttpResponse<String> refused = http.send(http.request(POLLING).method(method, BodyPublishers.ofString("")));

        assertThat(ErrorAnswer.of(refused), is(ErrorAnswer.BAD_HANDSHAKE_METHOD));
    }

    @Test
    void requestsWithUnknownSidAreRefusedWithCode1() {
        assertThat(ErrorAnswer.of(http.get(session("no-such-session"))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
        assertThat(ErrorAnswer.of(http.post(session("no-such-session"), "6")), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    @Test
    void socketIoConnectPostedIsAnsweredOnThePoll() {
        String sid = http.openSession();

        HttpResponse<String> posted = http.post(session(sid), ConformanceNode.connectPacket("alice"));
        HttpResponse<String> poll = http.get(session(sid));

        assertThat(posted.statusCode(), is(200));
        assertThat(posted.body(), is("ok"));
        assertThat(poll.statusCode(), is(200));
        assertThat(contentType(poll), is("text/plain;charset=utf-8"));
        assertThat(poll.body(), startsWith("40{\"sid\":\""));
    }

    @Test
    void packetsPostedTogetherAreHandledInOrder() {
        String sid = http.openSession();

        // An event before CONNECT would be refused as unauthorized: not_found shows CONNECT was handled first.
        HttpResponse<String> posted = http.post(session(sid),
                ConformanceNode.connectPacket("alice") + SEPARATOR + "421[\"no-such-event\",{}]");
        List<String> answers = http.pollPackets(sid, 2);

        assertThat(posted.body(), posted.statusCode(), is(200));
        assertThat(answers.toString(), answers.size(), is(2));
        assertThat(answers.get(0), startsWith("40{\"sid\":\""));
        assertThat(answers.get(1), startsWith("431[{"));
        assertThat(answers.get(1), containsString("\"not_found\""));
    }

    @Test
    void pollWaitsUntilAPacketIsQueued() throws Exception {
        String sid = http.openSession();
        CompletableFuture<HttpResponse<String>> poll = http.startPoll(sid);
        Thread.sleep(SETTLE_MILLIS);
        assertThat("answered before anything was queued", poll.isDone(), is(false));

        http.post(session(sid), ConformanceNode.connectPacket("alice"));

        HttpResponse<String> answer = poll.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode(), is(200));
        assertThat(answer.body(), startsWith("40{\"sid\":\""));
    }

    @Test
    void invalidPacketIsRefusedAndClosesTheSession() {
        String sid = http.openSession();

        HttpResponse<String> refused = http.post(session(sid), "abc");

        assertThat(refused.statusCode(), is(400));
        assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    @Test
    void secondPollWhileOneIsPendingIsRefusedAndClosesTheSession() throws Exception {
        String sid = http.openSession();
        CompletableFuture<HttpResponse<String>> first = http.startPoll(sid);
        Thread.sleep(SETTLE_MILLIS);

        HttpResponse<String> second = http.get(session(sid));

        assertThat(second.statusCode(), is(400));
        HttpResponse<String> released = first.get(5, TimeUnit.SECONDS);
        assertThat(released.statusCode(), is(200));
        assertThat(released.body(), is("1"));
        assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    @Test
    void closePacketReleasesThePendingPollWithNoopAndClosesTheSession() throws Exception {
        String sid = http.openSession();
        CompletableFuture<HttpResponse<String>> poll = http.startPoll(sid);
        Thread.sleep(SETTLE_MILLIS);

        HttpResponse<String> closing = http.post(session(sid), "1");

        assertThat(closing.statusCode(), is(200));
        HttpResponse<String> released = poll.get(5, TimeUnit.SECONDS);
        assertThat(released.statusCode(), is(200));
        assertThat(released.body(), is("6"));
        assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    @Test
    void payloadOverMaxPayloadIsRefusedWith413AndClosesTheSession() {
        String sid = http.openSession();

        HttpResponse<String> refused = http.post(session(sid), "4" + "x".repeat(MAX_PAYLOAD));

        assertThat(refused.statusCode(), is(413));
        assertThat(ErrorAnswer.of(http.get(session(sid))), is(ErrorAnswer.SESSION_ID_UNKNOWN));
    }

    /** The Content-Type without spaces and in lower case: {@code text/plain; charset=UTF-8} is one of its spellings. */
    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
