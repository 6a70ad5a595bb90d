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
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XTrimParams;

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

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Edits and deletions across two nodes and the archiver: members see them in room order, history and recovery show
 * each message as it now stands (from Redis, and from PostgreSQL once Redis no longer has it), and the archive keeps
 * every change once; an admin's erasure deletes all of a user's messages and anonymises the user.
 */
@ExtendWith(ChatStackExtension.class)
class EditAndDeleteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.withArchive(testStack, 2, Map.of("chat.limits.ratepersecond", "1000",
                "chat.limits.burst", "1000", "chat.limits.textlength", "50"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void authorsEditReachesMembersOnBothNodesInRoomOrderAndTheArchiveKeepsItOnce() throws Exception {
        String room = stack.uniqueName("edits");
        String ann = stack.uniqueName("ann");
        JsonNode first;
        try (SioClient a = cluster.connect(0, ann);
             SioClient b = cluster.connect(1, stack.uniqueName("bob"))) {
            a.call("join", Map.of("room", room));
            b.call("join", Map.of("room", room));
            first = a.call("message", Map.of("room", room, "text", "frist"));
            a.call("message", Map.of("room", room, "text", "second"));

            JsonNode edit = a.call("edit", Map.of("room", room, "id", id(first), "text", "first"));
            JsonNode third = a.call("message", Map.of("room", room, "text", "third"));

            assertThat(edit.toString(), edit.path("ok").asBoolean(), is(true));
            assertThat(edit.path("id").asText(), is(id(first)));
            for (SioClient member : List.of(a, b)) {
                member.await("message", m -> m.path("id").asText().equals(id(third)));
                List<String> seen = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                for (SioClient.Event event : member.events()) {
                    if (event.name().startsWith("message")) {
                        JsonNode payload = event.payload();
                        seen.add(event.name() + " " + payload.path("text").asText());
                        seqs.add(payload.has("edited") ? payload.path("edited").path("seq").asLong()
                                : payload.path("seq").asLong());
                    }
                }
                assertThat(seen, contains("message frist", "message second", "message_edited first",
                        "message third"));
                assertThat(seqs, contains(seq(first), seq(first) + 1, edit.path("seq").asLong(), seq(third)));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM messages WHERE id = ?::uuid AND edited_body = 'first'", id(first)) == 1);
        assertThat(text("SELECT body FROM messages WHERE id = ?::uuid", id(first)), is("frist"));
        assertThat(rows("SELECT kind || ':' || body || ':' || changed_by FROM message_edits WHERE message_id = ?::uuid",
                id(first)), contains("edit:first:" + ann));
    }

    @Test
    void onlyTheAuthorOrAnAdminMayChangeAMessageAndBadChangesGetTheirErrors() {
        String room = stack.uniqueName("rights");
        try (SioClient ann = cluster.connect(0, stack.uniqueName("ann"));
             SioClient bob = cluster.connect(1, stack.uniqueName("bob"));
             SioClient admin = SioClient.connected(cluster.port(1), cluster.adminToken(stack.uniqueName("mod")))) {
            ann.call("join", Map.of("room", room));
            JsonNode sent = ann.call("message", Map.of("room", room, "text", "ann's own"));

            assertThat(code(bob.call("edit", Map.of("room", room, "id", id(sent), "text", "bob's now"))),
                    is("forbidden"));
            assertThat(code(bob.call("delete", Map.of("room", room, "id", id(sent)))), is("forbidden"));
            assertThat(code(ann.call("edit", Map.of("room", room, "id", "0190a6c2-0000-7000-8000-000000000000",
                    "text", "x"))), is("not_found"));
            assertThat(code(ann.call("edit", Map.of("room", room, "id", id(sent), "text", ""))), is("bad_request"));
            assertThat(code(ann.call("edit", Map.of("room", room, "id", id(sent), "text", "x".repeat(51)))),
                    is("too_large"));

            JsonNode deleted = admin.call("delete", Map.of("room", room, "id", id(sent)));
            assertThat(deleted.toString(), deleted.path("ok").asBoolean(), is(true));
            JsonNode tombstone = ann.await("message_deleted", m -> m.path("id").asText().equals(id(sent)));
            assertThat(tombstone.path("text").asText(), is(""));
            assertThat(tombstone.path("deleted").path("seq").asLong(), is(deleted.path("seq").asLong()));
            assertThat(code(ann.call("edit", Map.of("room", room, "id", id(sent), "text", "undo"))),
                    is("not_found"));
        }
    }

    @Test
    void historyAndRecoveryShowTombstonesAndEditsFromRedisAndThenFromPostgres() throws Exception {
        String room = stack.uniqueName("tombs");
        String writer = stack.uniqueName("writer");
        long since;
        try (SioClient away = cluster.connect(1, "away")) {
            since = away.call("join", Map.of("room", room)).path("seq").asLong();
        }
        List<JsonNode> sent = new ArrayList<>();
        long lastMessage;
        try (SioClient w = cluster.connect(0, writer)) {
            w.call("join", Map.of("room", room));
            for (int i = 0; i < 6; i++) {
                sent.add(w.call("message", Map.of("room", room, "text", "m" + i)));
            }
            lastMessage = seq(sent.getLast());
            assertThat(w.call("delete", Map.of("room", room, "id", id(sent.get(1)))).path("ok").asBoolean(), is(true));
            assertThat(w.call("edit", Map.of("room", room, "id", id(sent.get(2)), "text", "m2 fixed"))
                    .path("ok").asBoolean(), is(true));
        }
        List<String> expected = List.of("m0", "", "m2 fixed", "m3", "m4", "m5");
        assertRecovered(room, since, lastMessage, expected);

        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM message_edits WHERE room = ?", room) == 2);
        // Redis keeps the newest entry only, and none of the versions: the rest must come from PostgreSQL.
        try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
            redis.xtrim("chat:{" + room + "}:recent", XTrimParams.xTrimParams().maxLen(1).exactTrimming());
            redis.del("chat:{" + room + "}:versions", "chat:{" + room + "}:changed");
        }
        assertRecovered(room, since, lastMessage, expected);
        assertThat(rows("SELECT body || ':' || deleted FROM messages WHERE id = ?::uuid", id(sent.get(1))),
                contains(":true"));
        assertThat(rows("SELECT coalesce(body, 'none') FROM message_edits WHERE message_id = ?::uuid",
                id(sent.get(1))), contains("none"));
    }

    /** What a member who left at {@code since} and one who saw up to {@code lastMessage} get back. */
    private static void assertRecovered(String room, long since, long lastMessage, List<String> expected) {
        try (SioClient back = cluster.connect(1, "away")) {
            JsonNode ack = back.call("join", Map.of("room", room, "since", since));
            assertThat(ack.toString(), texts(ack.path("missed")), is(expected));
            assertThat(ack.path("missed").get(1).path("deleted").path("by").isTextual(), is(true));
            assertThat(ack.path("missed").get(2).path("edited").isObject(), is(true));
            back.call("leave", Map.of("room", room));

            JsonNode later = back.call("join", Map.of("room", room, "since", lastMessage));
            assertThat(later.toString(), later.path("missed").size(), is(0));
            assertThat(texts(later.path("changed")), contains("", "m2 fixed"));

            JsonNode history = back.call("history", Map.of("room", room, "limit", 10));
            assertThat(texts(history.path("messages")), is(expected));
        }
    }

    @Test
    void adminErasureDeletesEveryMessageOfTheUserAndAnonymisesTheirRow() throws Exception {
        String room = stack.uniqueName("erase");
        String gone = stack.uniqueName("gone");
        String friend = stack.uniqueName("friend");
        try (SioClient user = cluster.connect(0, gone);
             SioClient member = cluster.connect(1, friend)) {
            user.call("join", Map.of("room", room));
            member.call("join", Map.of("room", room));
            for (int i = 0; i < 3; i++) {
                user.call("message", Map.of("room", room, "text", "personal " + i));
            }
            member.call("message", Map.of("room", room, "text", "stays"));
            user.call("dm", Map.of("to", friend, "text", "private"));
            await().atMost(Duration.ofSeconds(30)).until(() -> count(
                    "SELECT count(*) FROM messages WHERE sender = ?", gone) == 4);

            assertThat(erase(gone, cluster.token(stack.uniqueName("nobody"))).statusCode(), is(403));
            HttpResponse<String> erased = erase(gone, cluster.adminToken(stack.uniqueName("admin")));

            assertThat(erased.body(), erased.statusCode(), is(202));
            JsonNode answer = JSON.readTree(erased.body());
            assertThat(answer.path("deleted").asInt(), is(4));
            assertThat(answer.path("more").asBoolean(), is(false));
            member.awaitCount("message_deleted", 3);
            member.await("message_deleted", m -> m.path("room").asText().startsWith("dm:"));
            JsonNode history = member.call("history", Map.of("room", room));
            assertThat(texts(history.path("messages")), contains("", "", "", "stays"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM messages WHERE sender = ? AND deleted", gone) == 4);
        assertThat(rows("SELECT body FROM messages WHERE sender = ?", gone), everyItem(is("")));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM users WHERE id = ? AND erased_at IS NOT NULL", gone) == 1);
        assertThat(text("SELECT name FROM users WHERE id = ?", gone), is(nullValue()));
        assertThat(count("SELECT count(*) FROM users WHERE id = ? AND name IS NOT NULL", friend), greaterThan(0L));

        HttpResponse<String> again = erase(gone, cluster.adminToken(stack.uniqueName("admin")));
        assertThat(again.body(), again.statusCode(), is(202));
        assertThat(JSON.readTree(again.body()).path("deleted").asInt(), is(0));
        assertThat(count("SELECT count(*) FROM message_edits WHERE changed_by LIKE ? AND kind = 'delete'"
                + " AND message_id IN (SELECT id FROM messages WHERE sender = ?)", "admin%", gone), is(4L));
    }

    private static HttpResponse<String> erase(String user, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/users/" + user + "/messages"))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(JsonNode ack) {
        return ack.path("id").asText();
    }

    private static long seq(JsonNode ack) {
        return ack.path("seq").asLong();
    }

    private static String code(JsonNode ack) {
        return ack.path("error").path("code").asText();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }

    private static long count(String sql, String... args) throws SQLException {
        return Long.parseLong(rows(sql, args).getFirst());
    }

    private static String text(String sql, String arg) throws SQLException {
        List<String> values = rows(sql, arg);
        return values.isEmpty() ? null : values.getFirst();
    }

    private static List<String> rows(String sql, String... args) throws SQLException {
        try (Connection db = database(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setString(i + 1, args[i]);
            }
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
