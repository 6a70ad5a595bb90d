package chat.node.durable;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.net.URI;
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
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Read markers across two nodes with the archiver: shared by the user's sockets on every node, never moving back,
 * answered by a join as the unread count, kept at their highest in PostgreSQL and read back from there when Redis
 * lost them, and shown to the other user of a direct conversation.
 */
@ExtendWith(ChatStackExtension.class)
class ReadMarkersTest {
    private static final Duration ARCHIVED = Duration.ofSeconds(30);
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.withArchive(testStack, 2, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aMarkOnOneNodeReachesTheUsersSocketOnTheOtherNeverMovesBackAndIsArchivedAtItsHighest() throws Exception {
        String room = stack.uniqueName("read");
        String ann = stack.uniqueName("ann");
        List<Long> seqs = sendMessages(room, 5);
        try (SioClient here = cluster.connect(0, ann);
             SioClient there = cluster.connect(1, ann)) {
            JsonNode marked = here.call("read", Map.of("room", room, "seq", seqs.get(2)));
            assertThat(marked.toString(), marked.path("ok").asBoolean(), is(true));
            assertThat(marked.path("room").asText(), is(room));
            assertThat(marked.path("seq").asLong(), is(seqs.get(2)));

            JsonNode told = there.await("read", event -> event.path("room").asText().equals(room));
            assertThat(told.path("user").asText(), is(ann));
            assertThat(told.path("seq").asLong(), is(seqs.get(2)));

            here.await("read", event -> event.path("room").asText().equals(room));
            JsonNode back = there.call("read", Map.of("room", room, "seq", seqs.get(0)));
            assertThat(back.path("seq").asLong(), is(seqs.get(2)));

            JsonNode join = there.call("join", Map.of("room", room));
            assertThat(join.path("read").asLong(), is(seqs.get(2)));
            assertThat(join.path("unread").asLong(), is(2L));
            assertThat(join.has("reads"), is(false));
            assertThat("a marker that did not move is not announced", here.events("read").size(), is(1));
        }
        await().atMost(ARCHIVED).until(() -> archivedMarker(ann, room) == seqs.get(2));
    }

    @Test
    void editsTakeSeqsOfTheRoomButAreNoUnreadMessages() {
        String room = stack.uniqueName("read");
        String ann = stack.uniqueName("ann");
        try (SioClient writer = cluster.connect(0, stack.uniqueName("writer"));
             SioClient reader = cluster.connect(1, ann)) {
            assertThat(writer.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
            List<JsonNode> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(writer.call("message", Map.of("room", room, "text", "m" + i)));
            }
            long read = sent.getFirst().path("seq").asLong();
            assertThat(reader.call("read", Map.of("room", room, "seq", read)).path("ok").asBoolean(), is(true));
            JsonNode lastEdit = null;
            for (JsonNode message : List.of(sent.getFirst(), sent.getLast())) {
                lastEdit = writer.call("edit", Map.of("room", room, "id", message.path("id").asText(),
                        "text", message.path("text").asText("") + " (edited)"));
                assertThat(lastEdit.toString(), lastEdit.path("ok").asBoolean(), is(true));
            }

            JsonNode join = reader.call("join", Map.of("room", room));
            assertThat(join.path("seq").asLong(), is(lastEdit.path("seq").asLong()));
            assertThat("four seqs after the marker", join.path("seq").asLong() - read, is(4L));
            assertThat("two messages after the marker; an edit does not count as unread",
                    join.path("unread").asLong(), is(2L));
        }
    }

    @Test
    void theOtherUserOfADirectConversationSeesTheMarkAsAReadReceipt() {
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        try (SioClient annSocket = cluster.connect(0, ann);
             SioClient bobSocket = cluster.connect(1, bob)) {
            JsonNode sent = annSocket.call("dm", Map.of("to", bob, "text", "did you see this?"));
            String room = sent.path("room").asText();
            bobSocket.await("dm", message -> message.path("id").asText().equals(sent.path("id").asText()));

            JsonNode read = bobSocket.call("read", Map.of("room", room, "seq", sent.path("seq").asLong()));
            assertThat(read.toString(), read.path("ok").asBoolean(), is(true));

            JsonNode receipt = annSocket.await("read", event -> event.path("room").asText().equals(room));
            assertThat(receipt.path("user").asText(), is(bob));
            assertThat(receipt.path("seq").asLong(), is(sent.path("seq").asLong()));
            JsonNode join = annSocket.call("join", Map.of("room", room));
            assertThat(join.path("reads").path(bob).asLong(), is(sent.path("seq").asLong()));
        }
    }

    @Test
    void badInputGetsAnErrorThatSaysWhatIsWrong() {
        String ann = stack.uniqueName("ann");
        String room = stack.uniqueName("bad");
        try (SioClient socket = cluster.connect(1, ann)) {
            for (Object seq : List.of(-1, "7", 2.5)) {
                JsonNode error = socket.call("read", Map.of("room", room, "seq", seq)).path("error");
                assertThat(error.path("code").asText(), is("bad_request"));
                assertThat(error.path("message").asText(), is("'seq' must be a non-negative integer"));
            }
            JsonNode noSeq = socket.call("read", Map.of("room", room)).path("error");
            assertThat(noSeq.path("code").asText(), is("bad_request"));
            JsonNode others = socket.call("read", Map.of("room", "dm:bob:carol", "seq", 1)).path("error");
            assertThat(others.path("code").asText(), is("forbidden"));
            JsonNode notARoom = socket.call("read", Map.of("room", "Lobby!", "seq", 1)).path("error");
            assertThat(notARoom.path("code").asText(), is("bad_request"));
        }
    }

    @Test
    void aMarkerOutlivesRedisLosingItsDataAndTheUnreadCountReachesBackThroughTheArchive() throws Exception {
        stack.redisServer();
        String room = stack.uniqueName("flushed");
        String cara = stack.uniqueName("cara");
        List<Long> seqs = sendMessages(room, 5);
        try (SioClient socket = cluster.connect(0, cara)) {
            assertThat(socket.call("read", Map.of("room", room, "seq", seqs.get(2))).path("ok").asBoolean(), is(true));
        }
        await().atMost(ARCHIVED).until(() -> archivedMarker(cara, room) == seqs.get(2)
                && archivedMessages(room) == 5);

        try (Jedis redis = new Jedis(URI.create(stack.redisUrl()))) {
            redis.flushAll();
        }
        long after = sendMessages(room, 1).getFirst();
        assertThat("the room's seq jumped", after, greaterThan(seqs.get(4) + 1));

        try (SioClient socket = cluster.connect(1, cara)) {
            JsonNode join = socket.call("join", Map.of("room", room));
            assertThat(join.toString(), join.path("read").asLong(), is(seqs.get(2)));
            assertThat("two from before the loss, one after", join.path("unread").asLong(), is(3L));
            JsonNode back = socket.call("read", Map.of("room", room, "seq", seqs.get(0)));
            assertThat(back.path("seq").asLong(), is(seqs.get(2)));
            JsonNode forward = socket.call("read", Map.of("room", room, "seq", after));
            assertThat(forward.path("seq").asLong(), is(after));
        }
        await().atMost(ARCHIVED).until(() -> archivedMarker(cara, room) == after);
    }

    /** Sends {@code count} messages to the room from a writer of its own; returns their seqs. */
    private static List<Long> sendMessages(String room, int count) {
        List<Long> seqs = new ArrayList<>();
        try (SioClient writer = cluster.connect(0, stack.uniqueName("writer"))) {
            assertThat(writer.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
            for (int i = 0; i < count; i++) {
                JsonNode ack = writer.call("message", Map.of("room", room, "text", "m" + i));
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                seqs.add(ack.path("seq").asLong());
            }
        }
        return seqs;
    }

    private static long archivedMessages(String room) throws SQLException {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM messages WHERE room = ?")) {
            query.setString(1, room);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The user's marker of the room in PostgreSQL, -1 while there is none. */
    private static long archivedMarker(String user, String room) throws SQLException {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT seq FROM read_markers WHERE user_id = ? AND room = ?")) {
            query.setString(1, user);
            query.setString(2, room);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }
}
