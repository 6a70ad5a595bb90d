package chat.node.chat;

import chat.common.MessageChange;
import chat.node.socketio.Ack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** The {@code edit} and {@code delete} events on one node, around the in-memory bus and a held archive. */
class MessageEditorTest {
    private final ChatFixture chat = new ChatFixture();
    private long nextAck = 100;

    @Test
    void authorsEditTakesTheRoomsNextSeqAndIsAckedOnceTheArchiveHasIt() {
        Client alice = joined("alice");
        JsonNode sent = send(alice, "helo");

        long ackId = event(alice, "edit", "{\"room\":\"lobby\",\"id\":\"" + sent.path("id").asText()
                + "\",\"text\":\"hello\"}");

        assertThat("no ack before the archive has the change", acks(alice, ackId), is(empty()));
        MessageChange stored = chat.archive.changes.getLast();
        assertThat(stored.kind(), is(MessageChange.Kind.EDIT));
        assertThat(stored.message().text(), is("helo"));
        assertThat(stored.text(), is("hello"));
        storeAll();
        JsonNode ack = ack(alice, ackId);
        assertThat(ack.path("id").asText(), is(sent.path("id").asText()));
        assertThat(ack.path("seq").asLong(), is(sent.path("seq").asLong() + 1));
        JsonNode frame = json(chat.bus.published.getLast().body());
        assertThat(chat.bus.published.getLast().kind(), is("message_edited"));
        assertThat(frame.path("text").asText(), is("hello"));
        assertThat(frame.path("seq").asLong(), is(sent.path("seq").asLong()));
        assertThat(frame.path("edited").path("seq").asLong(), is(ack.path("seq").asLong()));
        assertThat(frame.path("edited").path("by").asText(), is("alice"));
    }

    @Test
    void someoneElsesMessageIsForbiddenToChangeButAnAdminMayDeleteIt() {
        Client alice = joined("alice");
        JsonNode sent = send(alice, "mine");
        Client bob = joined("bob");
        Client admin = chat.connected("moderator", true);
        int published = chat.bus.published.size();

        JsonNode refused = ack(bob, event(bob, "edit", edit(sent, "yours now")));
        assertThat(refused.path("error").path("code").asText(), is("forbidden"));
        assertThat(ack(bob, event(bob, "delete", target(sent))).path("error").path("code").asText(),
                is("forbidden"));
        assertThat(chat.bus.published, hasSize(published));

        long ackId = event(admin, "delete", target(sent));
        storeAll();
        assertThat(ack(admin, ackId).path("ok").asBoolean(), is(true));
        JsonNode tombstone = json(chat.bus.published.getLast().body());
        assertThat(chat.bus.published.getLast().kind(), is("message_deleted"));
        assertThat(tombstone.path("text").asText(), is(""));
        assertThat(tombstone.path("from").asText(), is("alice"));
        assertThat(tombstone.path("deleted").path("by").asText(), is("moderator"));
    }

    @Test
    void badTargetsAndTextsAreRefusedWithTheirCodes() {
        Client alice = joined("alice");
        JsonNode sent = send(alice, "text");
        String unknown = "{\"room\":\"lobby\",\"id\":\"0190a6c2-0000-7000-8000-000000000000\",\"text\":\"x\"}";

        assertThat(code(alice, "edit", unknown), is("not_found"));
        assertThat(code(alice, "edit", "{\"room\":\"lobby\",\"id\":\"not-a-uuid\",\"text\":\"x\"}"),
                is("not_found"));
        assertThat(code(alice, "edit", "{\"room\":\"other\",\"id\":\"" + sent.path("id").asText()
                + "\",\"text\":\"x\"}"), is("not_found"));
        assertThat(code(alice, "edit", edit(sent, "")), is("bad_request"));
        assertThat(code(alice, "edit", edit(sent, "x".repeat(101))), is("too_large"));
        assertThat(code(alice, "edit", "{\"room\":\"lobby\",\"text\":\"x\"}"), is("bad_request"));
        assertThat(code(alice, "delete", "{\"id\":\"" + sent.path("id").asText() + "\"}"), is("bad_request"));
    }

    @Test
    void deletingTwiceIsAnsweredAsTheFirstTimeAndADeletedMessageCannotBeEdited() {
        Client alice = joined("alice");
        JsonNode sent = send(alice, "oops");
        long first = event(alice, "delete", target(sent));
        storeAll();
        JsonNode deleted = ack(alice, first);
        int published = chat.bus.published.size();

        long again = event(alice, "delete", target(sent));
        storeAll();

        assertThat(ack(alice, again).path("seq").asLong(), is(deleted.path("seq").asLong()));
        assertThat("nothing published the second time", chat.bus.published, hasSize(published));
        assertThat(code(alice, "edit", edit(sent, "back")), is("not_found"));
    }

    @Test
    void anEditResentWithItsCidGetsTheSameAckAndIsPublishedOnce() {
        Client alice = joined("alice");
        JsonNode sent = send(alice, "typo");
        String payload = "{\"room\":\"lobby\",\"id\":\"" + sent.path("id").asText()
                + "\",\"text\":\"fixed\",\"cid\":\"e1\"}";
        long first = event(alice, "edit", payload);
        storeAll();
        int published = chat.bus.published.size();

        long again = event(alice, "edit", payload);
        storeAll();

        assertThat(ack(alice, again).path("seq").asLong(), is(ack(alice, first).path("seq").asLong()));
        assertThat(chat.bus.published, hasSize(published));
        assertThat("stored again, for a first produce that may have failed", chat.archive.changes, hasSize(2));
    }

    @Test
    void historyAndJoinWithSinceShowMessagesAsTheyNowStand() {
        Client alice = joined("alice");
        JsonNode kept = send(alice, "one");
        JsonNode edited = send(alice, "two");
        JsonNode gone = send(alice, "three");
        long since = gone.path("seq").asLong();
        event(alice, "edit", edit(edited, "two, edited"));
        event(alice, "delete", target(gone));
        storeAll();

        long historyAck = event(alice, "history", "{\"room\":\"lobby\"}");
        JsonNode messages = ack(alice, historyAck).path("messages");
        assertThat(texts(messages), contains("one", "two, edited", ""));
        assertThat(messages.get(2).path("deleted").isObject(), is(true));

        Client bob = chat.connected("bob");
        JsonNode fromStart = ack(bob, event(bob, "join", "{\"room\":\"lobby\",\"since\":"
                + (kept.path("seq").asLong() - 1) + "}"));
        assertThat(texts(fromStart.path("missed")), contains("one", "two, edited", ""));
        assertThat(fromStart.path("changed").size(), is(0));
        JsonNode afterAll = ack(bob, event(bob, "join", "{\"room\":\"lobby\",\"since\":" + since + "}"));
        assertThat(afterAll.path("missed").size(), is(0));
        assertThat(texts(afterAll.path("changed")), contains("two, edited", ""));
        assertThat(afterAll.path("seq").asLong(), is(since + 2));
    }

    @Test
    void aMemberRemovedFromAPrivateRoomMayNoLongerEditOrDeleteTheirMessagesThere() {
        Client alice = chat.connected("alice");
        Client bob = chat.connected("bob");
        event(alice, "create_room", "{\"room\":\"p:team\"}");
        storeAll();
        event(alice, "add_member", "{\"room\":\"p:team\",\"user\":\"bob\"}");
        storeAll();
        ack(bob, event(bob, "join", "{\"room\":\"p:team\"}"));
        long sentAck = event(bob, "message", "{\"room\":\"p:team\",\"text\":\"before I go\"}");
        storeAll();
        String target = "{\"room\":\"p:team\",\"id\":\"" + ack(bob, sentAck).path("id").asText() + "\"";
        long edited = event(bob, "edit", target + ",\"text\":\"still here\"}");
        storeAll();
        assertThat("a member edits", ack(bob, edited).path("ok").asBoolean(), is(true));

        event(alice, "remove_member", "{\"room\":\"p:team\",\"user\":\"bob\"}");
        storeAll();
        int published = chat.bus.published.size();

        assertThat(code(bob, "edit", target + ",\"text\":\"sneaky\"}"), is("forbidden"));
        assertThat(code(bob, "delete", target + "}"), is("forbidden"));
        assertThat(chat.bus.published, hasSize(published));
    }

    private Client joined(String user) {
        Client client = chat.connected(user);
        ack(client, event(client, "join", "{\"room\":\"lobby\"}"));
        return client;
    }

    private JsonNode send(Client client, String text) {
        long ackId = event(client, "message", "{\"room\":\"lobby\",\"text\":\"" + text + "\"}");
        storeAll();
        return ack(client, ackId);
    }

    private static String target(JsonNode sent) {
        return "{\"room\":\"lobby\",\"id\":\"" + sent.path("id").asText() + "\"}";
    }

    private static String edit(JsonNode sent, String text) {
        return "{\"room\":\"lobby\",\"id\":\"" + sent.path("id").asText() + "\",\"text\":\"" + text + "\"}";
    }

    private void storeAll() {
        chat.archive.pending.forEach(stored -> stored.complete(null));
    }

    private String code(Client client, String name, String payload) {
        return ack(client, event(client, name, payload)).path("error").path("code").asText();
    }

    private long event(Client client, String name, String payload) {
        long ackId = nextAck++;
        client.onEvent(name, json(payload), new Ack(ackId));
        return ackId;
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
        assertThat(found.getFirst(), startsWith("43" + ackId + "["));
        return json(found.getFirst().substring(("43" + ackId).length())).get(0);
    }

    private static List<String> texts(JsonNode messages) {
        return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .map(m -> m.path("text").asText()).toList();
    }
}
