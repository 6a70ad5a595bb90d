package chat.node.cluster;

import chat.node.support.NodeScript;
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
import redis.clients.jedis.JedisPooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

/**
 * Socket.IO's connection state recovery across two nodes (PROTOCOL.md §3): the CONNECT answer's pid, the offset of
 * each room message, a reconnection on the other node with the pid and the last offset, and what it must not give:
 * another user's session, or one past the window.
 */
@ExtendWith(ChatStackExtension.class)
class ConnectionStateRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW_MS = 3000;
    private static final Duration SCRIPT_TIME = Duration.ofSeconds(30);

    private static TestStack stack;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        // A short window to see one pass, and a fast heartbeat to see a dead socket noticed.
        cluster = TestCluster.of(testStack, 2, Map.of("chat.recovery.window", Long.toString(WINDOW_MS),
                "chat.engine.pinginterval", "500", "chat.engine.pingtimeout", "500"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void connectAnswerCarriesAPrivateSessionIdAndEachRoomMessageItsOffsetAsLastArgument() {
        String room = stack.uniqueName("wire");
        try (SioClient alice = SioClient.open(cluster.port(0));
             SioClient bob = cluster.connect(1, stack.uniqueName("bob"))) {
            JsonNode answer = json(alice.connect(cluster.token(stack.uniqueName("alice"))).substring(2));
            alice.call("join", Map.of("room", room));
            bob.call("join", Map.of("room", room));
            long seq = bob.call("message", Map.of("room", room, "text", "hi")).path("seq").asLong();
            alice.await("message", m -> m.path("text").asText().equals("hi"));

            assertThat(answer.toString(), answer.path("pid").asText().matches("[A-Za-z0-9_-]{20,}"), is(true));
            assertThat(answer.path("pid").asText(), is(not(answer.path("sid").asText())));
            assertThat(lastMessageFrame(alice), is(List.of("message", "hi", room + ":" + seq)));
        }
    }

    @Test
    void socketWhoseHeartbeatStoppedGetsOnTheOtherNodeEverythingQueuedAfterTheLastMessageItRead() {
        String room = stack.uniqueName("heartbeat");
        String user = stack.uniqueName("alice");
        try (SioClient alice = SioClient.open(cluster.port(0));
             SioClient bob = cluster.connect(1, stack.uniqueName("bob"))) {
            String pid = json(alice.connect(cluster.token(user)).substring(2)).path("pid").asText();
            alice.call("join", Map.of("room", room));
            bob.call("join", Map.of("room", room));
            bob.call("message", Map.of("room", room, "text", "read"));
            alice.await("message", m -> m.path("text").asText().equals("read"));
            String offset = lastMessageFrame(alice).get(2);

            alice.stopReading();
            alice.stopAnsweringPings();
            List<Long> unread = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                unread.add(bob.call("message", Map.of("room", room, "text", "unread " + i)).path("seq").asLong());
            }
            awaitSaved(user, pid);

            try (SioClient back = SioClient.open(cluster.port(1))) {
                JsonNode answer = json(back.connectWith(Map.of("token", cluster.token(user), "pid", pid,
                        "offset", offset)).substring(2));
                List<JsonNode> replayed = back.awaitCount("message", 5);
                bob.call("message", Map.of("room", room, "text", "live"));
                back.await("message", m -> m.path("text").asText().equals("live"));

                assertThat(answer.path("pid").asText(), is(pid));
                assertThat(replayed.stream().map(m -> m.path("seq").asLong()).toList(), is(unread));
                assertThat(texts(back.events("message")), is(Stream.concat(
                        IntStream.rangeClosed(1, 5).mapToObj(i -> "unread " + i), Stream.of("live")).toList()));
            }
        }
    }

    @Test
    void pidPresentedWithAnotherUsersTokenIsNotRecoveredAndTheOwnersStillIs() {
        String room = stack.uniqueName("stolen");
        String user = stack.uniqueName("alice");
        String pid;
        String sid;
        try (SioClient alice = SioClient.open(cluster.port(0))) {
            JsonNode answer = json(alice.connect(cluster.token(user)).substring(2));
            pid = answer.path("pid").asText();
            sid = answer.path("sid").asText();
            alice.call("join", Map.of("room", room));
        }

        double unknownBefore = recoveries("unknown");
        double recoveredBefore = recoveries("recovered");
        try (SioClient mallory = SioClient.open(cluster.port(1));
             SioClient bob = cluster.connect(1, stack.uniqueName("bob"))) {
            JsonNode stolen = json(mallory.connectWith(Map.of("token", cluster.token(stack.uniqueName("mallory")),
                    "pid", pid, "offset", room + ":1")).substring(2));
            assertThat(stolen.path("pid").asText(), is(not(pid)));
            assertThat(stolen.path("sid").asText(), is(not(sid)));
            assertThat("not in the room", mallory.call("message", Map.of("room", room, "text", "x"))
                    .path("error").path("code").asText(), is("forbidden"));

            try (SioClient owner = SioClient.open(cluster.port(1))) {
                JsonNode recovered = json(owner.connectWith(Map.of("token", cluster.token(user), "pid", pid))
                        .substring(2));
                bob.call("join", Map.of("room", room));
                bob.call("message", Map.of("room", room, "text", "for alice"));

                assertThat(recovered.path("pid").asText(), is(pid));
                assertThat(recovered.path("sid").asText(), is(sid));
                owner.await("message", m -> m.path("text").asText().equals("for alice"));
            }
        }
        assertThat(recoveries("unknown"), is(unknownBefore + 1));
        assertThat(recoveries("recovered"), is(recoveredBefore + 1));
    }

    @Test
    void nodeJsClientThatLosesItsTransportIsRecoveredOnTheOtherNodeWithTheMessagesItMissedOnceInOrder() {
        int missed = 5;
        JsonNode result = runScript("recovery", missed, 1500);

        assertThat(result.toString(), result.path("recovered").asBoolean(), is(true));
        assertThat(result.path("sidKept").asBoolean(), is(true));
        List<JsonNode> received = list(result.path("received"));
        List<String> expected = new ArrayList<>(List.of("before 1", "before 2"));
        IntStream.rangeClosed(1, missed).forEach(i -> expected.add("missed " + i));
        expected.add("live");
        assertThat(received.toString(), received.stream().map(m -> m.path("text").asText()).toList(), is(expected));
        for (int i = 1; i < received.size(); i++) {
            assertThat(received.toString(), received.get(i).path("seq").asLong(),
                    is(received.get(i - 1).path("seq").asLong() + 1));
        }
        assertThat(received.getFirst().path("offset").asText(), endsWith(":" + received.getFirst().path("seq")
                .asLong()));
    }

    @Test
    void nodeJsClientThatComesBackAfterTheWindowIsANewSessionInNoRoom() {
        JsonNode result = runScript("expired", 1, WINDOW_MS + 1500);

        assertThat(result.toString(), result.path("recovered").asBoolean(), is(false));
        assertThat(result.path("sidKept").asBoolean(), is(false));
        assertThat(texts(list(result.path("received"))), is(List.of("before 1", "before 2")));
    }

    private JsonNode runScript(String room, int missed, long reconnectAfterMs) {
        List<String> users = List.of(stack.uniqueName("ann"), stack.uniqueName("bob"));
        Map<String, Object> input = new HashMap<>();
        input.put("urls", List.of("http://127.0.0.1:" + cluster.port(0), "http://127.0.0.1:" + cluster.port(1)));
        input.put("room", stack.uniqueName(room));
        input.put("users", users);
        input.put("tokens", users.stream().map(cluster::token).toList());
        input.put("missed", missed);
        input.put("reconnectAfterMs", reconnectAfterMs);
        try (NodeScript script = NodeScript.start("recovering-client.js", input)) {
            return script.result(SCRIPT_TIME);
        }
    }

    /** The {@code chat_recoveries_total} of an outcome; every node of the test JVM shares one meter registry. */
    private static double recoveries(String outcome) {
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.managementPort(1)
                + "/observe/metrics")).header("Accept", "text/plain; version=0.0.4").build();
        try {
            String exposition = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            return exposition.lines()
                    .filter(line -> line.startsWith(NodeMetrics.RECOVERIES + "{")
                            && line.contains("outcome=\"" + outcome + "\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim()
                            .split(" ")[0]))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the node noticed the dead heartbeat and saved the session. */
    private static void awaitSaved(String user, String pid) {
        try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!redis.exists("chat:recovery:{" + user + "}:" + pid)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the session of " + user + " was not saved within 5 s");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The event name, the message's text and the last argument of the last message frame the client received. */
    private static List<String> lastMessageFrame(SioClient client) {
        List<String> frames = client.frames().stream().filter(f -> f.startsWith("42[\"message\"")).toList();
        JsonNode args = json(frames.getLast().substring(2));
        return List.of(args.get(0).asText(), args.get(1).path("text").asText(), args.get(args.size() - 1).asText());
    }

    private static List<String> texts(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("text").asText()).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
