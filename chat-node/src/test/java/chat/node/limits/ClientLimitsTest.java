package chat.node.limits;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.node.telemetry.NodeMetrics;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The limits of chat.limits on what one socket, one user and one API caller may take of a node: the abuser is
 * refused with the documented code, everyone else goes on, and chat_refusals_total counts it.
 */
@ExtendWith(ChatStackExtension.class)
class ClientLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 1, Map.of(
                "chat.limits.roomspersocket", "3",
                "chat.limits.socketsperuser", "2",
                "chat.limits.typingpersecond", "0.5",
                "chat.limits.typingburst", "2",
                "chat.limits.apipersecond", "0.5",
                "chat.limits.apiburst", "3",
                "chat.limits.apibody", "1024"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void joinPastTheRoomsOfASocketGetsLimitExceededWhileOtherSocketsStillJoin() {
        List<String> rooms = List.of(stack.uniqueName("r"), stack.uniqueName("r"), stack.uniqueName("r"),
                stack.uniqueName("r"));
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_ROOMS);
        try (SioClient hoarder = cluster.connect(0, stack.uniqueName("hoarder"));
             SioClient neighbour = cluster.connect(0, stack.uniqueName("neighbour"))) {
            for (String room : rooms.subList(0, 3)) {
                assertOk(hoarder.call("join", Map.of("room", room)));
            }
            assertError(hoarder.call("join", Map.of("room", rooms.get(3))), "limit_exceeded");
            assertOk(hoarder.call("join", Map.of("room", rooms.get(0))));
            assertOk(neighbour.call("join", Map.of("room", rooms.get(3))));
            assertOk(neighbour.call("message", Map.of("room", rooms.get(3), "text", "room for me")));

            assertOk(hoarder.call("leave", Map.of("room", rooms.get(1))));
            assertOk(hoarder.call("join", Map.of("room", rooms.get(3))));
            assertOk(hoarder.call("message", Map.of("room", rooms.get(3), "text", "a free slot")));
        }
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_ROOMS), is(before + 1));
    }

    @Test
    void connectPastTheSocketsOfAUserOnANodeGetsConnectErrorWhileOtherUsersConnect() {
        String greedy = stack.uniqueName("greedy");
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_SOCKETS);
        try (SioClient first = cluster.connect(0, greedy);
             SioClient second = cluster.connect(0, greedy);
             SioClient third = SioClient.open(cluster.port(0))) {
            assertThat(third.connect(cluster.token(greedy)), is("44{\"message\":\"limit_exceeded\"}"));
            try (SioClient other = cluster.connect(0, stack.uniqueName("other"))) {
                assertOk(other.call("join", Map.of("room", stack.uniqueName("open"))));
            }
            assertOk(first.call("join", Map.of("room", stack.uniqueName("still"))));

            second.close();
            await("a socket of the user freed by a close").atMost(Duration.ofSeconds(10)).until(() -> {
                try (SioClient again = SioClient.open(cluster.port(0))) {
                    return again.connect(cluster.token(greedy)).startsWith("40");
                }
            });
        }
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_SOCKETS), greaterThanOrEqualTo(before + 1));
    }

    @Test
    void typingPastItsRateIsDroppedWhileOtherTypersAndMessagesGetThrough() {
        String room = stack.uniqueName("typing");
        String fast = stack.uniqueName("fast");
        String calm = stack.uniqueName("calm");
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_TYPING);
        try (SioClient typer = cluster.connect(0, fast);
             SioClient other = cluster.connect(0, calm);
             SioClient listener = cluster.connect(0, stack.uniqueName("listener"))) {
            for (SioClient client : List.of(typer, other, listener)) {
                assertOk(client.call("join", Map.of("room", room)));
            }
            for (int i = 0; i < 10; i++) {
                typer.send("typing", Map.of("room", room));
            }
            // Events of a socket are handled in order: once this is acked, every typing before it was.
            assertOk(typer.call("message", Map.of("room", room, "text", "after typing")));
            other.send("typing", Map.of("room", room));

            listener.await("typing", t -> t.path("from").asText().equals(calm));
            listener.await("message", m -> m.path("text").asText().equals("after typing"));
            long fromTyper = listener.events("typing").stream()
                    .filter(t -> t.path("from").asText().equals(fast)).count();
            assertThat(fromTyper, greaterThan(0L));
            assertThat(fromTyper, lessThanOrEqualTo(3L));
            assertThat(typer.events("error").size(), is(0));
        }
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_TYPING), greaterThanOrEqualTo(before + 7));
    }

    @Test
    void apiRequestsPastTheRateOfAUserGet429WithTheJsonErrorWhileOtherUsersAreServed() throws Exception {
        String room = stack.uniqueName("api");
        String busy = cluster.token(stack.uniqueName("busy"));
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_API_RATE);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(history(room, busy));
        }
        List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
        assertThat(statuses.toString(), statuses.getFirst(), is(200));
        assertThat(statuses, hasItem(429));
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(refused.body(), error.path("code").asText(), is("rate_limited"));
        assertThat(refused.headers().firstValue("Retry-After").orElse(""), is("1"));

        assertThat(history(room, cluster.token(stack.uniqueName("patient"))).statusCode(), is(200));
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_API_RATE), greaterThanOrEqualTo(before + 1));
    }

    @Test
    void apiBodyAboveTheConfiguredSizeGets413TooLargeAndASmallOneIsServed() throws Exception {
        double before = Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_API_BODY);
        HttpResponse<String> big = devToken("{\"user\":\"big\",\"name\":\"" + "x".repeat(1100) + "\"}");
        assertThat(big.statusCode(), is(413));
        assertThat(big.body(), JSON.readTree(big.body()).path("error").path("code").asText(), is("too_large"));

        HttpResponse<String> small = devToken("{\"user\":\"small\"}");
        assertThat(small.body(), small.statusCode(), is(200));
        assertThat(Refusals.of(cluster.managementPort(0), NodeMetrics.REFUSED_API_BODY), is(before + 1));
    }

    private static HttpResponse<String> history(String room, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(0) + "/api/rooms/"
                        + room + "/messages")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> devToken(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(0) + "/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOk(JsonNode ack) {
        assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.toString(), ack.path("ok").asBoolean(true), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is(code));
        assertThat(ack.toString(), ack.path("error").path("message").asText().isEmpty(), is(false));
    }
}
