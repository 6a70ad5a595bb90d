package chat.node.engineio;

import chat.stack.ChatStackExtension;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static chat.node.engineio.EngineHttp.POLLING;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * CORS on the polling transport, which a browser page from another origin needs to read the answers, on a node
 * that allows http://app.example with credentials.
 */
@ExtendWith(ChatStackExtension.class)
@ServerTest
class CorsConformanceTest {
    private static final String ALLOWED = "http://app.example";

    private final EngineHttp http;

    CorsConformanceTest(URI server) {
        this.http = new EngineHttp(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        ConformanceNode.setUp(server, Map.of("chat.engine.cors.origins", ALLOWED,
                "chat.engine.cors.credentials", "true"));
    }

    @Test
    void allowedOriginIsReflectedWithCredentials() {
        HttpResponse<String> handshake = http.send(http.request(POLLING).header("Origin", ALLOWED).GET());

        assertThat(handshake.body(), handshake.statusCode(), is(200));
        assertThat(header(handshake, "Access-Control-Allow-Origin"), is(Optional.of(ALLOWED)));
        assertThat(header(handshake, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
        assertThat(header(handshake, "Vary").orElse(""), containsString("Origin"));
    }

    @Test
    void preflightIsAnsweredWith204AndTheMethodsAndHeadersAllowed() {
        HttpResponse<String> preflight = http.send(http.request(POLLING)
                .header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", BodyPublishers.noBody()));

        assertThat(preflight.statusCode(), is(204));
        assertThat(header(preflight, "Access-Control-Allow-Origin"), is(Optional.of(ALLOWED)));
        assertThat(header(preflight, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
        assertThat(header(preflight, "Access-Control-Allow-Methods"), is(Optional.of("GET, POST, OPTIONS")));
        assertThat(header(preflight, "Access-Control-Allow-Headers"), is(Optional.of("content-type")));
    }

    @Test
    void errorAnswersToAnAllowedOriginCarryTheCorsHeadersToo() {
        HttpResponse<String> refused = http.send(http.request("EIO=4&transport=abc").header("Origin", ALLOWED).GET());

        assertThat(ErrorAnswer.of(refused), is(ErrorAnswer.TRANSPORT_UNKNOWN));
        assertThat(header(refused, "Access-Control-Allow-Origin"), is(Optional.of(ALLOWED)));
    }

    @Test
    void originNotAllowedIsServedWithoutCorsHeaders() {
        HttpResponse<String> handshake = http.send(http.request(POLLING).header("Origin", "http://evil.example").GET());

        assertThat(handshake.body(), handshake.statusCode(), is(200));
        assertThat(corsHeaders(handshake), is(empty()));
    }

    /** One header's value; the JDK client gives a repeated header as several values, joined here as HTTP would. */
    private static Optional<String> header(HttpResponse<String> response, String name) {
        List<String> values = response.headers().allValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    private static List<String> corsHeaders(HttpResponse<String> response) {
        return response.headers().map().keySet().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"))
                .toList();
    }
}
