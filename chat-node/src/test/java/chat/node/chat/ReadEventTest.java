package chat.node.chat;

import chat.common.ReadMarker;
import chat.node.socketio.Ack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The {@code read} event and a join's read state, through the chat components around an in-memory bus. */
class ReadEventTest {
    private final ChatFixture chat = new ChatFixture();

    @Test
    void aMarkIsAcknowledgedOnceTheArchiveHasItAndTheUsersSocketsAreTold() {
        Client alice = chat.connected("alice");
        sendThree(alice, "lobby");

        event(alice, "read", "{\"room\":\"lobby\",\"seq\":2}", 20);
        assertThat("no ack before the archive has the marker", acks(alice, 20), is(empty()));
        assertThat(chat.archive.markers.getLast().seq(), is(2L));
        storeAll();

        JsonNode ack = ack(alice, 20);
        assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
        assertThat(ack.path("room").asText(), is("lobby"));
        assertThat(ack.path("seq").asLong(), is(2L));
        assertThat(chat.bus.publishedChannels.getLast(), is("chat:user:{alice}"));
        assertThat(chat.bus.published.getLast().kind(), is("read"));
        assertThat(chat.bus.published.getLast().body(), is("{\"room\":\"lobby\",\"user\":\"alice\",\"seq\":2}"));
    }

    @Test
    void aMarkerNeverMovesBackAndAnUnmovedOneIsNotAnnouncedButStillStored() {
        Client alice = chat.connected("alice");
        sendThree(alice, "lobby");
        event(alice, "read", "{\"room\":\"lobby\",\"seq\":3}", 20);
        storeAll();
        int published = chat.bus.published.size();

        event(alice, "read", "{\"room\":\"lobby\",\"seq\":1}", 21);
        storeAll();

        assertThat(ack(alice, 21).path("seq").asLong(), is(3L));
        assertThat(chat.bus.published, hasSize(published));
        assertThat(chat.archive.markers.getLast(), is(new ReadMarker("alice", "lobby", 3,
                chat.archive.markers.getLast().ts())));
    }

    @Test
    void aSeqPastTheRoomsLatestMarksTheLatest() {
        Client alice = chat.connected("alice");
        sendThree(alice, "lobby");

        event(alice, "read", "{\"room\":\"lobby\",\"seq\":9007199254740991}", 20);
        storeAll();

        assertThat(ack(alice, 20).path("seq").asLong(), is(3L));
    }

    @Test
    void aSeqThatIsNotANonNegativeIntegerIsABadRequest() {
        Client alice = chat.connected("alice");
        List<String> payloads = List.of("{\"room\":\"lobby\",\"seq\":-1}", "{\"room\":\"lobby\",\"seq\":\"5\"}",
                "{\"room\":\"lobby\",\"seq\":1.5}", "{\"room\":\"lobby\"}");

        for (int i = 0; i < payloads.size(); i++) {
            event(alice, "read", payloads.get(i), 30 + i);

            JsonNode error = ack(alice, 30 + i).path("error");
            assertThat(error.path("code").asText(), is("bad_request"));
            assertThat(error.path("message").asText(), is("'seq' must be a non-negative integer"));
        }
        assertThat(chat.archive.markers, is(empty()));
    }

    @Test
    void aRoomTheUserMayNotReadIsRefused() {
        Client alice = chat.connected("alice");

        event(alice, "read", "{\"room\":\"dm:bob:carol\",\"seq\":1}", 20);
        event(alice, "read", "{\"room\":\"Not A Room\",\"seq\":1}", 21);

        assertThat(ack(alice, 20).path("error").path("code").asText(), is("forbidden"));
        assertThat(ack(alice, 21).path("error").path("code").asText(), is("bad_request"));
        assertThat(chat.archive.markers, is(empty()));
    }

    @Test
    void joinAnswersTheMarkerAndHowManyMessagesFollowIt() {
        Client alice = chat.connected("alice");
        sendThree(alice, "lobby");
        event(alice, "read", "{\"room\":\"lobby\",\"seq\":1}", 20);
        storeAll();
        Client again = chat.connected("alice");

        event(again, "join", "{\"room\":\"lobby\"}", 21);

        JsonNode ack = ack(again, 21);
        assertThat(ack.path("read").asLong(), is(1L));
        assertThat(ack.path("unread").asLong(), is(2L));
        assertThat("a public room shares no read positions", ack.has("reads"), is(false));
    }

    @Test
    void editsAndDeletionsTakeSeqsButAreNotCountedAsUnread() {
        Client alice = chat.connected("alice");
        sendThree(alice, "lobby");
        event(alice, "read", "{\"room\":\"lobby\",\"seq\":1}", 20);
        String first = ack(alice, 11).path("id").asText();
        String third = ack(alice, 13).path("id").asText();
        event(alice, "edit", "{\"room\":\"lobby\",\"id\":\"" + first + "\",\"text\":\"m1 again\"}", 21);
        event(alice, "delete", "{\"room\":\"lobby\",\"id\":\"" + third + "\"}", 22);
        storeAll();
        Client again = chat.connected("alice");

        event(again, "join", "{\"room\":\"lobby\"}", 23);

        JsonNode ack = ack(again, 23);
        assertThat(ack.path("seq").asLong(), is(5L));
        assertThat("messages 2 and 3; the edit and the deletion are no messages", ack.path("unread").asLong(),
                is(2L));
    }

    @Test
    void inADirectConversationTheOtherUserSeesTheMarkAndItsJoinAnswersIt() {
        Client alice = chat.connected("alice");
        Client bob = chat.connected("bob");
        event(alice, "dm", "{\"to\":\"bob\",\"text\":\"hi\"}", 10);
        storeAll();

        event(bob, "read", "{\"room\":\"dm:alice:bob\",\"seq\":1}", 20);
        storeAll();

        assertThat(chat.bus.publishedChannels.subList(chat.bus.publishedChannels.size() - 2,
                chat.bus.publishedChannels.size()), contains("chat:user:{bob}", "chat:user:{alice}"));
        event(alice, "join", "{\"room\":\"dm:alice:bob\"}", 21);
        JsonNode join = ack(alice, 21);
        assertThat(join.path("reads").path("bob").asLong(), is(1L));
        assertThat(join.path("unread").asLong(), is(1L));
    }

    private void sendThree(Client client, String room) {
        event(client, "join", "{\"room\":\"" + room + "\"}", 1);
        for (int i = 1; i <= 3; i++) {
            event(client, "message", "{\"room\":\"" + room + "\",\"text\":\"m" + i + "\"}", 10 + i);
        }
        storeAll();
    }

    private void storeAll() {
        chat.archive.pending.forEach(stored -> stored.complete(null));
    }

    private void event(Client client, String name, String payload, long ackId) {
        client.onEvent(name, json(payload), new Ack(ackId));
    }

    private JsonNode json(String text) {
        try {
            return chat.codec.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> acks(Client client, long ackId) {
        return ChatFixture.sent(client).stream().filter(p -> p.startsWith("43" + ackId + "[")).toList();
    }

    private JsonNode ack(Client client, long ackId) {
        List<String> found = acks(client, ackId);
        assertThat("one ack " + ackId + " in " + ChatFixture.sent(client), found, hasSize(1));
        return json(found.getFirst().substring(("43" + ackId).length())).get(0);
    }
}
