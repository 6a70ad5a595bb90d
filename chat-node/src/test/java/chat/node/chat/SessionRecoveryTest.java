package chat.node.chat;

import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.socketio.Ack;
import chat.node.socketio.Admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Connection state recovery on one node, around the in-memory bus: what is saved, and what a reconnection gets. */
class SessionRecoveryTest {
    private final ChatFixture chat = new ChatFixture(Duration.ofMinutes(2));
    private final Node node = new Node(chat.hub, chat.bus, chat.presence, chat.metrics,
            OpenTelemetry.noop().getTracer("test"), 100, chat.offsets, chat.removals);
    private final Client bob = chat.connected("bob");
    private long nextAck = 100;

    @Test
    void aReconnectionWithItsPidGetsItsSocketIdRoomsAndTheMessagesItHadNotReadInOrder() {
        Client alice = chat.client();
        Admission.Accepted first = (Admission.Accepted) chat.connect(alice, "alice", "");
        join(alice, "lobby");
        join(bob, "lobby");
        say(bob, "lobby", "m1");
        say(bob, "lobby", "m2");
        String lastRead = offsetOf(alice, "m1");

        alice.onClose("transport_closed");
        say(bob, "lobby", "m3");
        Client back = chat.client();
        Admission.Accepted again = (Admission.Accepted) chat.connect(back, "alice",
                ",\"pid\":\"" + first.pid() + "\",\"offset\":\"" + lastRead + "\"");

        assertThat("the same pid: socket.recovered", again.pid(), is(first.pid()));
        assertThat(again.socketId(), is(first.socketId()));
        assertThat(messages(back), contains("m2", "m3"));
        say(bob, "lobby", "m4");
        assertThat("in the room again without a join", messages(back), contains("m2", "m3", "m4"));
        assertThat(ChatFixture.sent(back).stream().filter(p -> p.startsWith("43")).toList(), is(empty()));
    }

    @Test
    void aSessionIsRecoveredOnceAndAnUnknownPidGetsAFreshOne() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        join(alice, "lobby");
        alice.onClose("ping_timeout");

        Admission.Accepted recovered = (Admission.Accepted) chat.connect(chat.client(), "alice",
                ",\"pid\":\"" + pid + "\"");
        Client again = chat.client();
        Admission.Accepted second = (Admission.Accepted) chat.connect(again, "alice", ",\"pid\":\"" + pid + "\"");

        assertThat(recovered.pid(), is(pid));
        assertThat(second.pid(), is(not(pid)));
        assertThat(again.joinedRooms(), is(empty()));
    }

    @Test
    void aPidPresentedWithAnotherUsersTokenRecoversNothingAndLeavesTheSessionToItsOwner() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        join(alice, "lobby");
        alice.onClose("transport_closed");

        Client mallory = chat.client();
        Admission.Accepted stolen = (Admission.Accepted) chat.connect(mallory, "mallory", ",\"pid\":\"" + pid + "\"");
        Admission.Accepted owner = (Admission.Accepted) chat.connect(chat.client(), "alice", ",\"pid\":\"" + pid + "\"");

        assertThat(stolen.pid(), is(not(pid)));
        assertThat(mallory.joinedRooms(), is(empty()));
        assertThat(owner.pid(), is(pid));
    }

    @Test
    void aClientThatDisconnectedOnPurposeLeavesNoSession() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        join(alice, "lobby");

        alice.onClose("client_disconnect");

        assertThat(chat.sessions.saved.isEmpty(), is(true));
        assertThat(((Admission.Accepted) chat.connect(chat.client(), "alice", ",\"pid\":\"" + pid + "\"")).pid(),
                is(not(pid)));
    }

    @Test
    void missedDirectMessagesAreReplayedAsDmEventsOfTheirConversation() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        direct(bob, "alice", "d1");
        String lastRead = offsetOf(alice, "d1");
        alice.onClose("transport_closed");
        direct(bob, "alice", "d2");
        direct(bob, "alice", "d3");

        Client back = chat.client();
        chat.connect(back, "alice", ",\"pid\":\"" + pid + "\",\"offset\":\"" + lastRead + "\"");

        assertThat(texts(back, "dm"), contains("d2", "d3"));
    }

    @Test
    void anEditMadeWhileAwayIsReplayedAsMessageEditedInSeqOrderWithAnOffsetThatPlacesTheClient() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        join(alice, "lobby");
        join(bob, "lobby");
        say(bob, "lobby", "m1");
        String lastRead = offsetOf(alice, "m1");
        alice.onClose("transport_closed");
        say(bob, "lobby", "m2");
        change(bob, "edit", "{\"room\":\"lobby\",\"id\":\"" + idOf(bob, "m1") + "\",\"text\":\"m1, edited\"}");

        Client back = chat.client();
        Admission.Accepted again = (Admission.Accepted) chat.connect(back, "alice",
                ",\"pid\":\"" + pid + "\",\"offset\":\"" + lastRead + "\"");

        assertThat(again.pid(), is(pid));
        assertThat(messages(back), contains("m2"));
        assertThat(texts(back, "message_edited"), contains("m1, edited"));
        List<String> replayed = ChatFixture.sent(back).stream().filter(p -> p.startsWith("42[")).toList();
        assertThat("the message, then the edit that came after it", replayed.stream()
                .map(p -> json(p.substring(2)).get(0).asText()).toList(), contains("message", "message_edited"));
        String afterEdit = offsetOf(back, "m1, edited");
        assertThat(afterEdit, is("lobby:3"));

        back.onClose("transport_closed");
        say(bob, "lobby", "m3");
        Client third = chat.client();
        chat.connect(third, "alice", ",\"pid\":\"" + again.pid() + "\",\"offset\":\"" + afterEdit + "\"");
        assertThat("nothing twice", messages(third), contains("m3"));
        assertThat(texts(third, "message_edited"), is(empty()));
    }

    @Test
    void moreMissedThanAReplayHoldsIsNotRecovered() {
        Client alice = chat.client();
        String pid = ((Admission.Accepted) chat.connect(alice, "alice", "")).pid();
        join(alice, "lobby");
        join(bob, "lobby");
        alice.onClose("transport_closed");
        for (int i = 0; i <= 500; i++) {
            say(bob, "lobby", "m" + i);
        }

        Client back = chat.client();
        Admission.Accepted again = (Admission.Accepted) chat.connect(back, "alice", ",\"pid\":\"" + pid + "\"");

        assertThat(again.pid(), is(not(pid)));
        assertThat(back.joinedRooms(), is(empty()));
        assertThat(chat.hub.inRoom("lobby"), contains(bob));
    }

    private void join(Client client, String room) {
        client.onEvent("join", json("{\"room\":\"" + room + "\"}"), new Ack(nextAck++));
    }

    /** Sends a message and delivers what the bus published, as the node's subscriber would. */
    private void say(Client client, String room, String text) {
        client.onEvent("message", json("{\"room\":\"" + room + "\",\"text\":\"" + text + "\"}"), new Ack(nextAck++));
        BusFrame frame = chat.bus.published.getLast();
        node.onFrame(Channels.room(room), frame);
    }

    /** Sends an edit or a deletion and delivers what the bus published, as the node's subscriber would. */
    private void change(Client client, String event, String payload) {
        client.onEvent(event, json(payload), new Ack(nextAck++));
        node.onFrame(Channels.room("lobby"), chat.bus.published.getLast());
    }

    /** The id of the message of that text, from the packet that brought it to the client. */
    private String idOf(Client client, String text) {
        String packet = ChatFixture.sent(client).stream()
                .filter(p -> p.contains("\"text\":\"" + text + "\"")).findFirst().orElseThrow();
        return json(packet.substring(2)).get(1).path("id").asText();
    }

    private void direct(Client client, String to, String text) {
        client.onEvent("dm", json("{\"to\":\"" + to + "\",\"text\":\"" + text + "\"}"), new Ack(nextAck++));
        List<BusFrame> frames = chat.bus.published.subList(chat.bus.published.size() - 2, chat.bus.published.size());
        List<String> channels = chat.bus.publishedChannels.subList(chat.bus.publishedChannels.size() - 2,
                chat.bus.publishedChannels.size());
        for (int i = 0; i < frames.size(); i++) {
            node.onFrame(channels.get(i), frames.get(i));
        }
    }

    private List<String> messages(Client client) {
        return texts(client, "message");
    }

    private List<String> texts(Client client, String event) {
        return ChatFixture.sent(client).stream()
                .filter(packet -> packet.startsWith("42[\"" + event + "\""))
                .map(packet -> json(packet.substring(2)).get(1).path("text").asText())
                .toList();
    }

    /** The offset that came with the message of that text, as socket.io-client keeps it. */
    private String offsetOf(Client client, String text) {
        String packet = ChatFixture.sent(client).stream()
                .filter(p -> p.contains("\"text\":\"" + text + "\"")).findFirst().orElseThrow();
        JsonNode args = json(packet.substring(2));
        assertThat(args.get(2), is(notNullValue()));
        return args.get(2).asText();
    }

    private JsonNode json(String text) {
        try {
            return chat.codec.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
