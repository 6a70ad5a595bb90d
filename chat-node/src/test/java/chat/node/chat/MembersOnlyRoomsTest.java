package chat.node.chat;

import chat.common.RoomChange;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.socketio.Ack;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** The rule of private rooms and groups in the chat components alone, around an in-memory bus and member store. */
class MembersOnlyRoomsTest {
    private final ChatFixture chat = new ChatFixture();
    private final Node node = new Node(chat.hub, chat.bus, chat.presence, chat.metrics,
            OpenTelemetry.noop().getTracer("test"), 100, chat.offsets, chat.removals);

    @Test
    void publicRoomsNeverAskTheMemberStore() {
        Client alice = chat.connected("alice");

        event(alice, "join", "{\"room\":\"lobby\"}", 1);
        event(alice, "message", "{\"room\":\"lobby\",\"text\":\"hi\"}", 2);
        event(alice, "history", "{\"room\":\"lobby\"}", 3);
        event(alice, "typing", "{\"room\":\"lobby\"}", 4);

        assertThat(ack(alice, 1).path("ok").asBoolean(), is(true));
        assertThat(chat.members.calls.get(), is(0));
    }

    @Test
    void aChangeIsAcknowledgedOnlyOnceTheArchiveHasIt() {
        Client alice = chat.connected("alice");
        event(alice, "create_room", "{\"room\":\"p:team\"}", 1);
        chat.archive.pending.getFirst().complete(null);

        event(alice, "add_member", "{\"room\":\"p:team\",\"user\":\"bob\"}", 2);

        assertThat("no ack before the archive has the change", acks(alice, 2), is(empty()));
        RoomChange change = chat.archive.roomChanges.getLast();
        assertThat(change.change(), is(RoomChange.Change.ADD));
        assertThat(change.users(), contains("bob"));
        assertThat(change.by(), is("alice"));
        chat.archive.pending.getLast().complete(null);
        assertThat(ack(alice, 2).path("changed").asBoolean(), is(true));
    }

    @Test
    void onlyTheOwnerOrAnAdminChangesMembersAndAGroupsAreFixed() {
        Client alice = chat.connected("alice");
        Client mallory = chat.connected("mallory");
        event(alice, "create_room", "{\"room\":\"p:team\"}", 1);
        event(alice, "create_group", "{\"members\":[\"bob\",\"carol\"]}", 2);
        chat.archive.pending.forEach(stored -> stored.complete(null));
        String group = ack(alice, 2).path("room").asText();

        event(mallory, "add_member", "{\"room\":\"p:team\",\"user\":\"mallory\"}", 3);
        event(alice, "add_member", "{\"room\":\"" + group + "\",\"user\":\"dave\"}", 4);

        assertThat(ack(mallory, 3).path("error").path("code").asText(), is("forbidden"));
        assertThat(ack(alice, 4).path("error").path("code").asText(), is("forbidden"));
        assertThat(group, startsWith("g:"));
    }

    @Test
    void aRemovalFrameTakesTheUsersSocketsOutOfTheRoomBeforeTheNextMessage() {
        Client alice = chat.connected("alice");
        Client bob = chat.connected("bob");
        event(alice, "create_room", "{\"room\":\"p:team\"}", 1);
        event(alice, "add_member", "{\"room\":\"p:team\",\"user\":\"bob\"}", 2);
        chat.archive.pending.forEach(stored -> stored.complete(null));
        event(alice, "join", "{\"room\":\"p:team\"}", 3);
        event(bob, "join", "{\"room\":\"p:team\"}", 4);
        assertThat(ack(bob, 4).path("ok").asBoolean(), is(true));

        event(alice, "remove_member", "{\"room\":\"p:team\",\"user\":\"bob\"}", 5);
        BusFrame removal = chat.bus.published.stream().filter(f -> f.kind().equals("membership")).toList().getLast();
        node.onFrame(Channels.room("p:team"), removal);
        node.onFrame(Channels.room("p:team"), new BusFrame("message", 9, 0, null, null,
                "{\"room\":\"p:team\",\"text\":\"after\"}"));

        assertThat(bob.inRoom("p:team"), is(false));
        assertThat(events(bob, "message"), is(empty()));
        assertThat(events(alice, "message"), hasSize(1));
        assertThat(events(alice, "membership"), hasSize(1));
        event(bob, "message", "{\"room\":\"p:team\",\"text\":\"still here?\"}", 6);
        assertThat(ack(bob, 6).path("error").path("code").asText(), is("forbidden"));
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

    private static List<String> events(Client client, String name) {
        return ChatFixture.sent(client).stream().filter(p -> p.startsWith("42[\"" + name + "\"")).toList();
    }

    private JsonNode ack(Client client, long ackId) {
        List<String> found = acks(client, ackId);
        assertThat("one ack " + ackId + " in " + ChatFixture.sent(client), found, hasSize(1));
        return json(found.getFirst().substring(("43" + ackId).length())).get(0);
    }
}
