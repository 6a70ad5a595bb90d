package chat.node.chat;

import chat.common.ChatMessage;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.socketio.Ack;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

class NodeTest {
    private final ChatFixture chat = new ChatFixture();
    private final Node node = new Node(chat.hub, chat.bus, chat.presence, chat.metrics,
            OpenTelemetry.noop().getTracer("test"), 100, chat.offsets, chat.removals);

    @Test
    void directMessagesOvertakenOnTheWayAreDeliveredInSeqOrderOnce() {
        Client alice = chat.connected("alice");
        List<BusFrame> frames = sendDirect("bob", "alice", 4);

        node.onFrame(Channels.user("alice"), frames.get(0));
        node.onFrame(Channels.user("alice"), frames.get(3));
        node.onFrame(Channels.user("alice"), frames.get(1));
        node.onFrame(Channels.user("alice"), frames.get(2));

        assertThat(texts(alice), contains("dm 1", "dm 2", "dm 3", "dm 4"));
    }

    @Test
    void aDirectMessageOvertakenByTheFirstOneSeenHereIsStillDelivered() {
        Client alice = chat.connected("alice");
        List<BusFrame> frames = sendDirect("bob", "alice", 3);

        node.onFrame(Channels.user("alice"), frames.get(1));
        node.onFrame(Channels.user("alice"), frames.get(0));
        node.onFrame(Channels.user("alice"), frames.get(2));
        node.onFrame(Channels.user("alice"), frames.get(1));

        assertThat(texts(alice), contains("dm 2", "dm 1", "dm 3"));
    }

    @Test
    void eachConversationIsOrderedOnItsOwn() {
        Client alice = chat.connected("alice");
        List<BusFrame> fromBob = sendDirect("bob", "alice", 2);
        List<BusFrame> fromCarol = sendDirect("carol", "alice", 2);

        node.onFrame(Channels.user("alice"), fromBob.get(0));
        node.onFrame(Channels.user("alice"), fromCarol.get(0));
        node.onFrame(Channels.user("alice"), fromCarol.get(1));
        node.onFrame(Channels.user("alice"), fromBob.get(1));

        assertThat(texts(alice), contains("dm 1", "dm 1", "dm 2", "dm 2"));
    }

    @Test
    void aRoomThatGotNoFrameYetIsCaughtUpFromItsJoinAfterTheSubscriptionWasLost() {
        Client alice = chat.connected("alice");
        alice.onEvent("join", json("{\"room\":\"lobby\"}"), new Ack(1));
        for (int i = 1; i <= 3; i++) {
            chat.bus.publishMessage("message", new ChatMessage("m" + i, "lobby", 0, "bob", "missed " + i,
                    System.currentTimeMillis(), null), List.of(Channels.room("lobby")), null);
        }

        node.onResubscribed(Set.of(Channels.room("lobby")));

        assertThat(ChatFixture.sent(alice).stream().filter(packet -> packet.contains("\"message\""))
                        .map(packet -> json(packet.substring(packet.indexOf('['))).get(1).path("text").asText())
                        .toList(),
                contains("missed 1", "missed 2", "missed 3"));
    }

    /** Publishes {@code count} direct messages through the bus and returns their frames, in seq order. */
    private List<BusFrame> sendDirect(String from, String to, int count) {
        String room = Names.directRoom(from, to);
        for (int i = 1; i <= count; i++) {
            chat.bus.publishMessage("dm", new ChatMessage("m-" + from + i, room, 0, from, "dm " + i,
                    System.currentTimeMillis(), null), List.of(Channels.user(to)), null);
        }
        List<BusFrame> frames = chat.bus.published.stream()
                .filter(frame -> frame.body().contains("\"room\":\"" + room + "\"")).toList();
        return frames;
    }

    private List<String> texts(Client client) {
        return ChatFixture.sent(client).stream()
                .filter(packet -> packet.contains("\"dm\""))
                .map(packet -> json(packet.substring(packet.indexOf('['))).get(1).path("text").asText())
                .toList();
    }

    private JsonNode json(String text) {
        try {
            return chat.codec.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
