package chat.node.rooms;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

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
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Private rooms and groups across two nodes with the archiver: only members join, send, read history (socket and
 * HTTP) and see presence; the owner or an admin adds and removes members, and a removal takes effect on the removed
 * member's live sockets at once; the membership is archived in PostgreSQL and survives Redis losing its data.
 */
@ExtendWith(ChatStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivateRoomsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ARCHIVED = Duration.ofSeconds(30);

    private TestCluster cluster;
    private TestStack stack;

    @BeforeAll
    void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.withArchive(testStack, 2, redisSettings());
    }

    /** Where the nodes find Redis: the stack's server; a subclass runs the same specification on a Redis Cluster. */
    Map<String, String> redisSettings() {
        return Map.of();
    }

    /** Empties Redis, as a restart without persistence does. */
    void flushRedis() {
        try (Jedis redis = new Jedis(URI.create(stack.redisUrl()))) {
            redis.flushAll();
        }
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void anAddedMemberJoinsSendsAndReadsHistoryOnTheOtherNode() throws Exception {
        String room = "p:" + stack.uniqueName("team");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        try (SioClient owner = cluster.connect(0, alice);
             SioClient member = cluster.connect(1, bob)) {
            JsonNode created = owner.call("create_room", Map.of("room", room));
            assertOk(created);
            assertThat(created.path("owner").asText(), is(alice));
            assertThat(texts(created.path("members")), contains(alice));
            assertOk(owner.call("join", Map.of("room", room)));
            owner.call("message", Map.of("room", room, "text", "before bob"));

            JsonNode added = owner.call("add_member", Map.of("room", room, "user", bob));
            assertOk(added);
            assertThat(added.path("changed").asBoolean(), is(true));
            JsonNode notice = member.await("added", a -> a.path("room").asText().equals(room));
            assertThat(notice.path("by").asText(), is(alice));
            assertThat(notice.path("kind").asText(), is("private"));
            owner.await("membership", m -> m.path("user").asText().equals(bob));

            assertOk(member.call("join", Map.of("room", room)));
            owner.await("presence", p -> p.path("user").asText().equals(bob));
            assertOk(member.call("message", Map.of("room", room, "text", "hello from bob")));
            owner.await("message", m -> m.path("text").asText().equals("hello from bob"));
            JsonNode history = member.call("history", Map.of("room", room));
            assertThat(texts(history.path("messages"), "text"), contains("before bob", "hello from bob"));
            HttpResponse<String> page = historyOverHttp(1, room, bob);
            assertThat(page.body(), page.statusCode(), is(200));
            assertThat(texts(JSON.readTree(page.body()).path("messages"), "text"),
                    contains("before bob", "hello from bob"));
            JsonNode listed = member.call("members", Map.of("room", room));
            assertThat(texts(listed.path("members")), containsInAnyOrder(alice, bob));
        }
    }

    @Test
    void someoneWhoIsNotAMemberCanNeitherJoinNorSendNorReadNorChangeMembers() throws Exception {
        String room = "p:" + stack.uniqueName("closed");
        String alice = stack.uniqueName("alice");
        String carol = stack.uniqueName("carol");
        try (SioClient owner = cluster.connect(0, alice);
             SioClient outsider = cluster.connect(1, carol)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("join", Map.of("room", room)));
            assertOk(owner.call("message", Map.of("room", room, "text", "members only")));

            assertError(outsider.call("join", Map.of("room", room)), "forbidden");
            assertError(outsider.call("message", Map.of("room", room, "text", "let me in")), "forbidden");
            assertError(outsider.call("history", Map.of("room", room)), "forbidden");
            assertError(outsider.call("members", Map.of("room", room)), "forbidden");
            assertError(outsider.call("add_member", Map.of("room", room, "user", carol)), "forbidden");
            assertThat(historyOverHttp(0, room, carol).statusCode(), is(403));
            assertThat(historyOverHttp(1, "p:" + stack.uniqueName("nowhere"), carol).statusCode(), is(404));
            owner.call("message", Map.of("room", room, "text", "still members only"));
            owner.await("message", m -> m.path("text").asText().equals("still members only"));
            assertThat(outsider.events("message"), empty());
            assertThat(outsider.events("presence"), empty());
        }
    }

    @Test
    void aRemovedMembersLiveSocketsLeaveTheRoomAtOnceOnEveryNode() {
        String room = "p:" + stack.uniqueName("shrinking");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        try (SioClient owner = cluster.connect(0, alice);
             SioClient bobOnNode2 = cluster.connect(1, bob);
             SioClient bobOnNode1 = cluster.connect(0, bob)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", bob)));
            for (SioClient socket : List.of(owner, bobOnNode2, bobOnNode1)) {
                assertOk(socket.call("join", Map.of("room", room)));
            }
            assertOk(owner.call("message", Map.of("room", room, "text", "while bob is in")));
            bobOnNode2.await("message", m -> m.path("text").asText().equals("while bob is in"));
            bobOnNode1.await("message", m -> m.path("text").asText().equals("while bob is in"));

            JsonNode removed = owner.call("remove_member", Map.of("room", room, "user", bob));
            assertOk(removed);
            assertThat(removed.path("changed").asBoolean(), is(true));
            for (SioClient socket : List.of(bobOnNode2, bobOnNode1)) {
                JsonNode notice = socket.await("removed", r -> r.path("room").asText().equals(room));
                assertThat(notice.path("by").asText(), is(alice));
            }
            JsonNode membership = owner.await("membership", m -> m.path("event").asText().equals("removed"));
            assertThat(membership.path("user").asText(), is(bob));
            owner.await("presence", p -> p.path("user").asText().equals(bob)
                    && p.path("event").asText().equals("leave"));

            assertOk(owner.call("message", Map.of("room", room, "text", "after bob left")));
            owner.await("message", m -> m.path("text").asText().equals("after bob left"));
            for (SioClient socket : List.of(bobOnNode2, bobOnNode1)) {
                assertError(socket.call("message", Map.of("room", room, "text", "am I still here?")), "forbidden");
                assertError(socket.call("join", Map.of("room", room)), "forbidden");
                assertError(socket.call("history", Map.of("room", room)), "forbidden");
                assertThat(texts(socket.events("message"), "text"), contains("while bob is in"));
            }
            assertThat(texts(owner.events("message"), "text"),
                    contains("while bob is in", "after bob left"));
        }
    }

    @Test
    void anAdminAddsAndRemovesMembersOfARoomTheyDoNotOwn() {
        String room = "p:" + stack.uniqueName("managed");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        String dave = stack.uniqueName("dave");
        try (SioClient owner = cluster.connect(0, alice);
             SioClient admin = SioClient.connected(cluster.port(1), cluster.adminToken(stack.uniqueName("ops")));
             SioClient member = cluster.connect(1, bob);
             SioClient other = cluster.connect(0, dave)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", dave)));
            assertError(other.call("add_member", Map.of("room", room, "user", bob)), "forbidden");

            assertOk(admin.call("add_member", Map.of("room", room, "user", bob)));
            assertOk(member.call("join", Map.of("room", room)));
            assertOk(admin.call("remove_member", Map.of("room", room, "user", bob)));
            member.await("removed", r -> r.path("room").asText().equals(room));
            assertError(member.call("join", Map.of("room", room)), "forbidden");
            JsonNode listed = admin.call("members", Map.of("room", room));
            assertThat(texts(listed.path("members")), containsInAnyOrder(alice, dave));
        }
    }

    @Test
    void aGroupOfThreeChatsAndNoOneElseGetsInOrIsAdded() throws Exception {
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        String carol = stack.uniqueName("carol");
        String dave = stack.uniqueName("dave");
        try (SioClient a = cluster.connect(0, alice);
             SioClient b = cluster.connect(1, bob);
             SioClient c = cluster.connect(0, carol);
             SioClient d = cluster.connect(1, dave);
             SioClient admin = SioClient.connected(cluster.port(0), cluster.adminToken(stack.uniqueName("ops")))) {
            JsonNode created = a.call("create_group", Map.of("members", List.of(bob, carol)));
            assertOk(created);
            String room = created.path("room").asText();
            assertThat(room.startsWith("g:"), is(true));
            assertThat(created.path("kind").asText(), is("group"));
            assertThat(created.path("owner").isNull(), is(true));
            assertThat(texts(created.path("members")), containsInAnyOrder(alice, bob, carol));
            for (SioClient invited : List.of(b, c)) {
                JsonNode added = invited.await("added", x -> x.path("room").asText().equals(room));
                assertThat(added.path("kind").asText(), is("group"));
                assertThat(added.path("by").asText(), is(alice));
            }

            for (SioClient member : List.of(a, b, c)) {
                assertOk(member.call("join", Map.of("room", room)));
            }
            assertOk(b.call("message", Map.of("room", room, "text", "hi group")));
            for (SioClient member : List.of(a, b, c)) {
                member.await("message", m -> m.path("text").asText().equals("hi group"));
            }
            assertError(d.call("join", Map.of("room", room)), "forbidden");
            assertError(d.call("history", Map.of("room", room)), "forbidden");
            assertThat(historyOverHttp(1, room, dave).statusCode(), is(403));
            assertError(a.call("add_member", Map.of("room", room, "user", dave)), "forbidden");
            assertError(admin.call("add_member", Map.of("room", room, "user", dave)), "forbidden");
            assertError(a.call("remove_member", Map.of("room", room, "user", bob)), "forbidden");
            assertThat(d.events("message"), empty());
        }
    }

    @Test
    void membershipIsArchivedInPostgres() throws Exception {
        String room = "p:" + stack.uniqueName("recorded");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        String carol = stack.uniqueName("carol");
        String group;
        try (SioClient owner = cluster.connect(0, alice)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", bob)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", carol)));
            assertOk(owner.call("remove_member", Map.of("room", room, "user", carol)));
            group = owner.call("create_group", Map.of("members", List.of(bob, carol))).path("room").asText();
        }
        await().atMost(ARCHIVED).until(() -> strings("SELECT user_id FROM room_members WHERE room = ? AND"
                + " removed_at IS NOT NULL", room).contains(carol));
        assertThat(strings("SELECT kind || ' ' || owner FROM rooms WHERE name = ?", room),
                contains("private " + alice));
        assertThat(strings("SELECT user_id FROM room_members WHERE room = ? AND removed_at IS NULL", room),
                containsInAnyOrder(alice, bob));
        assertThat(strings("SELECT added_by || ' ' || removed_by FROM room_members WHERE room = ? AND user_id = ?",
                room, carol), contains(alice + " " + alice));
        await().atMost(ARCHIVED).until(() -> !strings("SELECT kind FROM rooms WHERE name = ?", group).isEmpty());
        assertThat(strings("SELECT kind FROM rooms WHERE name = ? AND owner IS NULL", group), contains("group"));
        assertThat(strings("SELECT user_id FROM room_members WHERE room = ? AND removed_at IS NULL", group),
                containsInAnyOrder(alice, bob, carol));
    }

    @Test
    void membershipSurvivesRedisLosingItsData() throws Exception {
        String room = "p:" + stack.uniqueName("lasting");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        String carol = stack.uniqueName("carol");
        try (SioClient owner = cluster.connect(0, alice)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", bob)));
        }
        await().atMost(ARCHIVED).until(() -> strings("SELECT user_id FROM room_members WHERE room = ? AND"
                + " removed_at IS NULL", room).contains(bob));

        flushRedis();

        try (SioClient member = cluster.connect(1, bob);
             SioClient outsider = cluster.connect(0, carol);
             SioClient owner = cluster.connect(0, alice)) {
            assertOk(member.call("join", Map.of("room", room)));
            assertError(outsider.call("join", Map.of("room", room)), "forbidden");
            assertError(outsider.call("create_room", Map.of("room", room)), "bad_request");
            assertOk(owner.call("add_member", Map.of("room", room, "user", carol)));
            assertOk(outsider.call("join", Map.of("room", room)));
            assertOk(owner.call("remove_member", Map.of("room", room, "user", bob)));
            member.await("removed", r -> r.path("room").asText().equals(room));
        }
        await().atMost(ARCHIVED).until(() -> strings("SELECT user_id FROM room_members WHERE room = ? AND"
                + " removed_at IS NULL", room).size() == 2);
        assertThat(strings("SELECT user_id FROM room_members WHERE room = ? AND removed_at IS NULL", room),
                containsInAnyOrder(alice, carol));
    }

    @Test
    void duplicatesAndBadInputGetClearErrors() {
        String room = "p:" + stack.uniqueName("taken");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        try (SioClient owner = cluster.connect(0, alice);
             SioClient other = cluster.connect(1, bob)) {
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertThat(message(other.call("create_room", Map.of("room", room)), "bad_request"),
                    containsString("exists already"));
            assertOk(owner.call("create_room", Map.of("room", room)));
            assertOk(owner.call("add_member", Map.of("room", room, "user", bob)));
            assertThat(owner.call("add_member", Map.of("room", room, "user", bob)).path("changed").asBoolean(),
                    is(false));
            assertThat(message(owner.call("remove_member", Map.of("room", room, "user", alice)), "bad_request"),
                    containsString("owner"));

            assertError(owner.call("create_room", Map.of("room", "team")), "bad_request");
            assertError(owner.call("create_room", Map.of("room", "p:Not Valid")), "bad_request");
            assertError(owner.call("join", Map.of("room", "q:what")), "bad_request");
            assertError(owner.call("add_member", Map.of("room", room, "user", "not a user")), "bad_request");
            assertError(owner.call("add_member", Map.of("room", "lobby", "user", bob)), "bad_request");
            assertError(owner.call("add_member", Map.of("room", "p:" + stack.uniqueName("none"), "user", bob)),
                    "not_found");
            assertError(owner.call("join", Map.of("room", "p:" + stack.uniqueName("none"))), "not_found");

            assertThat(message(owner.call("create_group", Map.of("members", List.of(bob))), "bad_request"),
                    containsString("3 to 50 members"));
            assertThat(message(owner.call("create_group", Map.of("members", List.of(bob, "carol", bob))),
                    "bad_request"), containsString("twice"));
            List<String> crowd = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                crowd.add("user" + i);
            }
            assertThat(message(owner.call("create_group", Map.of("members", crowd)), "bad_request"),
                    containsString("3 to 50 members"));
            assertError(owner.call("create_group", Map.of("members", "bob,carol")), "bad_request");
            assertError(owner.call("create_group", Map.of("members", List.of(bob, 7))), "bad_request");
        }
    }

    TestCluster cluster() {
        return cluster;
    }

    TestStack stack() {
        return stack;
    }

    private HttpResponse<String> historyOverHttp(int node, String room, String user) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + cluster.port(node) + "/api/rooms/" + room + "/messages"))
                .header("Authorization", "Bearer " + cluster.token(user)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOk(JsonNode ack) {
        assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is(code));
    }

    private static String message(JsonNode ack, String code) {
        assertError(ack, code);
        return ack.path("error").path("message").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode messages, String field) {
        List<String> texts = new ArrayList<>();
        messages.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }

    private static List<String> texts(List<JsonNode> messages, String field) {
        return messages.stream().map(m -> m.path(field).asText()).toList();
    }

    private List<String> strings(String sql, String... args) throws SQLException {
        try (Connection db = DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword());
             PreparedStatement query = db.prepareStatement(sql)) {
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
