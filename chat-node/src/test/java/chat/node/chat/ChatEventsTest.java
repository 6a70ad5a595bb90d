package chat.node.chat;

import chat.node.socketio.Ack;
import chat.node.socketio.SocketHandler;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class ChatEventsTest {
    private final ChatFixture chat = new ChatFixture();

    @Test
    void joinAcksTheRoomsLatestSeqAndWhatWasMissedSinceTheGivenOne() {
        Client alice = chat.connected("alice");
        Client bob = chat.connected("bob");
        event(alice, "join", "{\"room\":\"lobby\"}", 1);
        for (int i = 1; i <= 3; i++) {
            event(alice, "message", "{\"room\":\"lobby\",\"text\":\"m" + i + "\"}", 10 + i);
        }

        event(bob, "join", "{\"room\":\"lobby\",\"since\":1}", 7);

        JsonNode ack = ack(bob, 7);
        assertThat(ack.path("ok").asBoolean(), is(true));
        assertThat(ack.path("seq").asLong(), is(3L));
        assertThat(texts(ack.path("missed")), contains("m2", "m3"));
    }

    @Test
    void messageIsAcknowledgedOnlyOnceTheArchiveStoredIt() {
        Client alice = chat.connected("alice");
        event(alice, "join", "{\"room\":\"lobby\"}", 1);

        event(alice, "message", "{\"room\":\"lobby\",\"text\":\"hello\",\"cid\":\"c1\"}", 2);
        assertThat("no ack before the archive has the message", acks(alice, 2), is(empty()));
        assertThat(chat.archive.records, hasSize(1));

        chat.archive.pending.getFirst().complete(null);
        JsonNode ack = ack(alice, 2);
        assertThat(ack.path("ok").asBoolean(), is(true));
        assertThat(ack.path("seq").asLong(), is(1L));
        assertThat(chat.bus.published.getLast().body(), containsString("\"text\":\"hello\""));
    }

    @Test
    void archiveFailureAnswersUnavailableSoTheSenderResendsWithItsCid() {
        Client alice = chat.connected("alice");
        event(alice, "join", "{\"room\":\"lobby\"}", 1);
        event(alice, "message", "{\"room\":\"lobby\",\"text\":\"hello\",\"cid\":\"c1\"}", 2);

        chat.archive.pending.getFirst().completeExceptionally(new IllegalStateException("broker down"));

        assertThat(ack(alice, 2).path("error").path("code").asText(), is("unavailable"));
    }

    @Test
    void messageToARoomNotJoinedIsForbiddenAndNothingIsPublished() {
        Client alice = chat.connected("alice");

        event(alice, "message", "{\"room\":\"lobby\",\"text\":\"hello\"}", 3);

        assertThat(ack(alice, 3).path("error").path("code").asText(), is("forbidden"));
        assertThat(chat.bus.published, is(empty()));
    }

    @Test
    void unknownEventGetsNotFound() {
        Client alice = chat.connected("alice");

        event(alice, "teleport", "{}", 4);

        assertThat(ack(alice, 4).path("error").path("code").asText(), is("not_found"));
    }

    @Test
    void failedEventWithoutAckIsReportedAsAnErrorEvent() {
        Client alice = chat.connected("alice");

        chat.events.handle(alice, "typing", json("{\"room\":\"lobby\"}"), Ack.NONE);

        List<String> errors = ChatFixture.sent(alice).stream().filter(p -> p.startsWith("42[\"error\"")).toList();
        assertThat(errors, hasSize(1));
        assertThat(errors.getFirst(), containsString("\"event\":\"typing\""));
    }

    @Test
    void refusalsFromTheSocketIoLayerAreAnsweredWithTheirErrorCodes() {
        Client alice = chat.connected("alice");

        alice.onRefused(SocketHandler.Refusal.INVALID_JSON, new Ack(5));
        alice.onRefused(SocketHandler.Refusal.TOO_LARGE, new Ack(6));

        assertThat(ack(alice, 5).path("error").path("code").asText(), is("bad_request"));
        assertThat(ack(alice, 6).path("error").path("code").asText(), is("too_large"));
    }

    @Test
    void closingAClientLeavesItsRoomsWithAPresenceEventAndDropsTheSubscriptions() {
        Client alice = chat.connected("alice");
        event(alice, "join", "{\"room\":\"lobby\"}", 1);
        assertThat(chat.bus.subscribed, containsInAnyOrder("chat:room:{lobby}", "chat:user:{alice}"));

        alice.onClose("client_closed");

        assertThat(chat.bus.subscribed, is(empty()));
        assertThat(chat.bus.published.getLast().body(), containsString("\"event\":\"leave\""));
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
        assertThat(found.getFirst(), startsWith("43" + ackId + "["));
        return json(found.getFirst().substring(("43" + ackId).length())).get(0);
    }

    private static List<String> texts(JsonNode messages) {
        return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .map(m -> m.path("text").asText()).toList();
    }
}
