package chat.node.durable;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** Messages accepted by the nodes end in PostgreSQL exactly once, and come back through history and recovery. */
@ExtendWith(ChatStackExtension.class)
class DurablePathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.withArchive(testStack, 2, Map.of("chat.limits.ratepersecond", "1000",
                "chat.limits.burst", "1000", "chat.redis.recent", "20"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void messagesSentOnBothNodesAreStoredOnceWithUsersAndConnectionLog() throws Exception {
        String room = stack.uniqueName("archive");
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        Map<String, JsonNode> acked = new HashMap<>();
        try (SioClient a = cluster.connect(0, ann);
             SioClient b = cluster.connect(1, bob)) {
            a.call("join", Map.of("room", room));
            b.call("join", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SioClient sender = i % 2 == 0 ? a : b;
                acks.add(sender.emit("message", Map.of("room", room, "text", "text " + i, "cid", "c" + i)));
            }
            for (CompletableFuture<JsonNode> ack : acks) {
                JsonNode value = ack.join();
                assertThat(value.toString(), value.path("ok").asBoolean(), is(true));
                acked.put(value.path("id").asText(), value);
            }
            // The same cid again must not add a row.
            a.call("message", Map.of("room", room, "text", "text 0", "cid", "c0"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM messages WHERE room = ?",
                room) >= 40);
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT id::text, seq, sender, body, cid FROM messages WHERE room = ? ORDER BY seq")) {
            query.setString(1, room);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    ids.add(id);
                    JsonNode ack = acked.get(id);
                    assertThat("row " + id + " was acked", ack != null, is(true));
                    assertThat(rows.getLong(2), is(ack.path("seq").asLong()));
                    int i = Integer.parseInt(rows.getString(4).substring(5));
                    assertThat(rows.getString(3), is(i % 2 == 0 ? ann : bob));
                    assertThat(rows.getString(5), is("c" + i));
                }
            }
            assertThat(ids.size(), is(40));
            assertThat(ids, containsInAnyOrder(acked.keySet().toArray()));
        }
        assertThat(count("SELECT count(*) FROM users WHERE id IN (?, ?)", ann, bob), is(2L));
        assertThat(text("SELECT name FROM users WHERE id = ?", ann), is(ann.toUpperCase()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                strings("SELECT kind FROM connection_events WHERE user_id = ?", ann),
                hasItems("connect", "join", "disconnect")));
    }

    @Test
    void historyPagesBackThroughTheArchive() throws Exception {
        String room = stack.uniqueName("history");
        List<Long> seqs = new ArrayList<>();
        try (SioClient writer = cluster.connect(0, "writer")) {
            writer.call("join", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                acks.add(writer.emit("message", Map.of("room", room, "text", "h" + i)));
            }
            acks.forEach(ack -> seqs.add(ack.join().path("seq").asLong()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM messages WHERE room = ?",
                room) == 120);
        try (SioClient reader = cluster.connect(1, "reader")) {
            JsonNode newest = reader.call("history", Map.of("room", room, "limit", 50));
            assertThat(seqsOf(newest.path("messages")), is(seqs.subList(70, 120)));
            JsonNode older = reader.call("history", Map.of("room", room, "limit", 50, "before", seqs.get(70)));
            assertThat(seqsOf(older.path("messages")), is(seqs.subList(20, 70)));
            JsonNode oldest = reader.call("history", Map.of("room", room, "limit", 50, "before", seqs.get(20)));
            assertThat(seqsOf(oldest.path("messages")), is(seqs.subList(0, 20)));
        }
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/rooms/" + room + "/messages?limit=10&before="
                                + seqs.get(100)))
                .header("Authorization", "Bearer " + cluster.token("reader")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body(), page.statusCode(), is(200));
        assertThat(seqsOf(JSON.readTree(page.body()).path("messages")), is(seqs.subList(90, 100)));
    }

    @Test
    void directRoomHistoryIsOnlyForItsTwoUsers() throws Exception {
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        String room;
        try (SioClient a = cluster.connect(0, alice)) {
            room = a.call("dm", Map.of("to", bob, "text", "secret")).path("room").asText();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM messages WHERE room = ?",
                room) == 1);
        try (SioClient b = cluster.connect(1, bob);
             SioClient eve = cluster.connect(1, stack.uniqueName("eve"))) {
            JsonNode own = b.call("history", Map.of("room", room));
            assertThat(own.path("messages").get(0).path("text").asText(), is("secret"));
            assertThat(eve.call("history", Map.of("room", room)).path("error").path("code").asText(),
                    is("forbidden"));
        }
        HttpResponse<String> forbidden = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/rooms/" + room + "/messages"))
                .header("Authorization", "Bearer " + cluster.token("mallory")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forbidden.statusCode(), is(403));
    }

    @Test
    void rejoinBeyondTheRecentBufferIsServedFromPostgresWithoutGaps() throws Exception {
        String room = stack.uniqueName("deep");
        long since;
        try (SioClient away = cluster.connect(1, "away")) {
            since = away.call("join", Map.of("room", room)).path("seq").asLong();
        }
        List<String> ids = new ArrayList<>();
        try (SioClient writer = cluster.connect(0, "writer")) {
            writer.call("join", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(writer.emit("message", Map.of("room", room, "text", "d" + i)));
            }
            acks.forEach(ack -> ids.add(ack.join().path("id").asText()));
        }
        // The buffer keeps ~20 per room; the rest must come from the archive.
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM messages WHERE room = ?",
                room) >= 180);
        try (SioClient back = cluster.connect(1, "away")) {
            JsonNode ack = back.call("join", Map.of("room", room, "since", since));
            List<String> missed = new ArrayList<>();
            ack.path("missed").forEach(m -> missed.add(m.path("id").asText()));
            assertThat(missed, is(ids));
            assertThat(ack.path("more").asBoolean(), is(false));
        }
    }

    private static List<Long> seqsOf(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }

    static long count(String sql, String... args) throws SQLException {
        try (Connection db = database(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setString(i + 1, args[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String text(String sql, String arg) throws SQLException {
        List<String> values = strings(sql, arg);
        return values.isEmpty() ? null : values.getFirst();
    }

    private static List<String> strings(String sql, String arg) throws SQLException {
        try (Connection db = database(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, arg);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
