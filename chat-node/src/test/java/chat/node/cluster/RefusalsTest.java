package chat.node.cluster;

import chat.node.auth.TokenSigner;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.nimbusds.jwt.JWTClaimsSet;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

@ExtendWith(ChatStackExtension.class)
class RefusalsTest {
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 1, Map.of("chat.limits.textlength", "100",
                "chat.engine.maxpayload", "20000"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void openPacketCarriesTheConfiguredHeartbeat() {
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.openPacket(), startsWith("0{\"sid\":\""));
            assertThat(client.openPacket(), containsString("\"upgrades\":[],\"pingInterval\":25000,"
                    + "\"pingTimeout\":20000,\"maxPayload\":20000}"));
        }
    }

    @Test
    void missingTokenIsRefused() {
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(null), is("44{\"message\":\"unauthorized\"}"));
        }
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = new TokenSigner(TestCluster.SECRET).sign(new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build());
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(expired), is("44{\"message\":\"unauthorized\"}"));
        }
    }

    @Test
    void forgedTokenIsRefused() {
        String forged = new TokenSigner("another-secret-of-an-attacker-000").issue("alice", null, true,
                Duration.ofHours(1));
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(forged), is("44{\"message\":\"unauthorized\"}"));
        }
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        String eternal = new TokenSigner(TestCluster.SECRET).sign(new JWTClaimsSet.Builder().subject("alice").build());
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(eternal), is("44{\"message\":\"unauthorized\"}"));
        }
    }

    @Test
    void unknownNamespaceIsRefused() {
        try (SioClient client = SioClient.open(cluster.port(0))) {
            client.sendRaw("40/admin,{\"token\":\"" + cluster.token("alice") + "\"}");
            assertThat(awaitFrame(client, "44/admin"), is("44/admin,{\"message\":\"Invalid namespace\"}"));
        }
    }

    @Test
    void eventsBeforeConnectAreRefused() {
        try (SioClient client = SioClient.open(cluster.port(0))) {
            JsonNode ack = client.call("join", Map.of("room", "general"));
            assertError(ack, "unauthorized");
        }
    }

    @Test
    void badRoomNameGetsBadRequest() {
        try (SioClient client = cluster.connect(0, "alice")) {
            assertError(client.call("join", Map.of("room", "Not A Room!")), "bad_request");
            assertError(client.call("join", Map.of("room", "x".repeat(65))), "bad_request");
            assertError(client.call("join", Map.of("nothing", 1)), "bad_request");
            assertError(client.call("join", "[1,2]"), "bad_request");
        }
    }

    @Test
    void otherUsersDirectRoomIsForbidden() {
        try (SioClient client = cluster.connect(0, "carol")) {
            assertError(client.call("join", Map.of("room", "dm:alice:bob")), "forbidden");
            assertError(client.call("history", Map.of("room", "dm:alice:bob")), "forbidden");
        }
    }

    @Test
    void oversizeTextGetsTooLarge() {
        String room = stack.uniqueName("big");
        try (SioClient client = cluster.connect(0, "alice")) {
            client.call("join", Map.of("room", room));
            assertError(client.call("message", Map.of("room", room, "text", "x".repeat(101))), "too_large");
            assertError(client.call("message", Map.of("room", room, "text", "")), "bad_request");
            JsonNode ok = client.call("message", Map.of("room", room, "text", "x".repeat(100)));
            assertThat(ok.toString(), ok.path("ok").asBoolean(), is(true));
        }
    }

    @Test
    void packetAboveMaxPayloadGetsTooLargeAndTheSessionStays() {
        String room = stack.uniqueName("payload");
        try (SioClient client = cluster.connect(0, "alice")) {
            client.call("join", Map.of("room", room));
            assertError(client.call("message", Map.of("room", room, "text", "y".repeat(30_000))), "too_large");
            assertThat(client.call("leave", Map.of("room", room)).path("ok").asBoolean(), is(true));
        }
    }

    @Test
    void messageToARoomNotJoinedIsForbidden() {
        try (SioClient client = cluster.connect(0, "alice")) {
            assertError(client.call("message", Map.of("room", stack.uniqueName("elsewhere"), "text", "hi")),
                    "forbidden");
        }
    }

    @Test
    void floodGetsRateLimited() {
        String room = stack.uniqueName("flood");
        try (SioClient client = cluster.connect(0, "flooder")) {
            client.call("join", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                acks.add(client.emit("message", Map.of("room", room, "text", "spam " + i)));
            }
            long limited = acks.stream().map(CompletableFuture::join)
                    .filter(a -> "rate_limited".equals(a.path("error").path("code").asText())).count();
            long accepted = acks.stream().map(CompletableFuture::join).filter(a -> a.path("ok").asBoolean()).count();
            assertThat(limited, greaterThan(0L));
            assertThat(accepted, greaterThan(30L));
        }
    }

    @Test
    void unknownEventGetsNotFound() {
        try (SioClient client = cluster.connect(0, "alice")) {
            assertError(client.call("explode", Map.of()), "not_found");
        }
    }

    @Test
    void binaryPacketGetsBadRequest() {
        try (SioClient client = cluster.connect(0, "alice")) {
            client.sendRaw("451-7[\"message\",{\"_placeholder\":true,\"num\":0}]");
            String ack = awaitFrame(client, "437[");
            assertThat(ack, containsString("\"bad_request\""));
        }
    }

    @Test
    void eventWithoutAckThatFailsGetsAnErrorEvent() {
        try (SioClient client = cluster.connect(0, "alice")) {
            client.send("typing", Map.of("room", stack.uniqueName("notjoined")));
            JsonNode error = client.await("error", e -> true);
            assertThat(error.path("error").path("code").asText(), is("forbidden"));
        }
    }

    @Test
    void malformedPacketClosesOnlyThatSession() {
        String room = stack.uniqueName("calm");
        try (SioClient bystander = cluster.connect(0, "bystander");
             SioClient offender = cluster.connect(0, "offender")) {
            bystander.call("join", Map.of("room", room));
            offender.sendRaw("42{not json at all");
            assertThat(offender.awaitClosed(Duration.ofSeconds(5)), is(true));
            JsonNode ack = bystander.call("message", Map.of("room", room, "text", "still here"));
            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
            bystander.await("message", m -> m.path("text").asText().equals("still here"));
        }
    }

    @Test
    void engineIoVersion3GetsHttp400OnBothTransports() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> polling = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + cluster.port(0) + "/socket.io/?EIO=3&transport=polling")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(polling.statusCode(), is(400));
        assertThat(polling.body(), is("{\"code\":5,\"message\":\"Unsupported protocol version\"}"));
        CompletableFuture<?> upgrade = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(
                "ws://127.0.0.1:" + cluster.port(0) + "/socket.io/?EIO=3&transport=websocket"),
                new java.net.http.WebSocket.Listener() { });
        Throwable failure = null;
        try {
            upgrade.join();
        } catch (Exception e) {
            failure = e;
        }
        assertThat("EIO=3 must be refused", failure != null, is(true));
        assertThat(failure.getCause() instanceof java.net.http.WebSocketHandshakeException, is(true));
        var handshake = (java.net.http.WebSocketHandshakeException) failure.getCause();
        assertThat(handshake.getResponse().statusCode(), is(400));
    }

    @Test
    void httpApiAnswersAnotherOriginWithoutCorsHeaders() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/rooms/lobby/messages"))
                        .header("Origin", "http://elsewhere.example")
                        .header("Authorization", "Bearer " + cluster.token("reader")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin").isPresent(), is(false));
    }

    @Test
    void devTokenEndpointIssuesTokensThatConnect() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"dev-user\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode(), is(200));
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("token")
                .asText();
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(token), startsWith("40{\"sid\":"));
        }
        HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"no spaces\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode(), is(400));
    }

    @Test
    void devTokenAskedForAdminIsNoAdminUnlessTheNodeAllowsIt(TestStack testStack) throws Exception {
        String asked = devToken(cluster.port(0), "{\"user\":\"mallory\",\"admin\":true}");
        assertThat(announce(cluster.port(0), asked).statusCode(), is(403));
        try (TestCluster trusting = TestCluster.of(testStack, 1, Map.of("chat.auth.devtokenadmin", "true"))) {
            String granted = devToken(trusting.port(0), "{\"user\":\"ops\",\"admin\":true}");
            assertThat(announce(trusting.port(0), granted).statusCode(), is(202));
        }
    }

    private static String devToken(int port, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body(), response.statusCode(), is(200));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private static HttpResponse<String> announce(int port, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/announce"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void silentClientIsClosedAfterPingTimeout(TestStack testStack) {
        try (TestCluster quick = TestCluster.of(testStack, 1, Map.of("chat.engine.pinginterval", "200",
                "chat.engine.pingtimeout", "300"));
             SioClient silent = quick.connect(0, "silent");
             SioClient lively = quick.connect(0, "lively")) {
            silent.stopAnsweringPings();
            assertThat(silent.awaitClosed(Duration.ofSeconds(5)), is(true));
            assertThat(lively.isClosed(), is(false));
            assertThat(lively.call("leave", Map.of("room", "general")).path("ok").asBoolean(), is(true));
        }
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.toString(), ack.path("ok").asBoolean(true), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is(code));
        assertThat(ack.toString(), ack.path("error").path("message").asText().isEmpty(), is(false));
    }

    private static String awaitFrame(SioClient client, String prefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (String frame : client.frames()) {
                if (frame.startsWith(prefix)) {
                    return frame;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no frame starting with " + prefix + " in " + client.frames());
    }
}
