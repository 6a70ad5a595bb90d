package chat.node.chat;

import chat.node.socketio.Ack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The {@code who} and {@code online} requests on one node, around the in-memory bus. */
class WhoIsOnlineTest {
    private final ChatFixture chat = new ChatFixture();
    private final AtomicLong ackIds = new AtomicLong();

    @Test
    void whoCountsEverySocketOfAUserAndTheirFirstAndLastAloneAreAnnounced() {
        Client alicePhone = chat.connected("alice");
        Client aliceLaptop = chat.connected("alice");
        Client bob = chat.connected("bob");
        for (Client member : List.of(alicePhone, aliceLaptop, bob)) {
            call(member, "join", "{\"room\":\"lobby\"}");
        }
        assertThat(listed(call(bob, "who", "{\"room\":\"lobby\"}")), contains("alice:2", "bob:1"));

        call(aliceLaptop, "leave", "{\"room\":\"lobby\"}");
        assertThat(listed(call(bob, "who", "{\"room\":\"lobby\"}")), contains("alice:1", "bob:1"));
        alicePhone.onClose("client_closed");

        JsonNode who = call(bob, "who", "{\"room\":\"lobby\"}");
        assertThat(listed(who), contains("bob:1"));
        assertThat(who.path("count").asLong(), is(1L));
        assertThat(presenceEvents(), contains("alice:join", "bob:join", "alice:leave"));
    }

    @Test
    void whoPagesByUserIdAndNamesWhereTheNextPageStarts() {
        List<Client> members = new ArrayList<>();
        for (String user : List.of("carol", "alice", "bob")) {
            members.add(chat.connected(user));
            call(members.getLast(), "join", "{\"room\":\"lobby\"}");
        }

        JsonNode first = call(members.getFirst(), "who", "{\"room\":\"lobby\",\"limit\":2}");
        JsonNode second = call(members.getFirst(), "who", "{\"room\":\"lobby\",\"limit\":2,\"after\":\"bob\"}");

        assertThat(listed(first), contains("alice:1", "bob:1"));
        assertThat(first.path("next").asText(), is("bob"));
        assertThat(listed(second), contains("carol:1"));
        assertThat(second.path("next").isNull(), is(true));
        assertThat(second.path("count").asLong(), is(3L));
    }

    @Test
    void whoRefusesAMissingRoomABadLimitAndABadCursor() {
        Client alice = chat.connected("alice");
        call(alice, "join", "{\"room\":\"lobby\"}");

        for (String payload : List.of("{}", "{\"room\":\"Not A Room\"}", "{\"room\":\"lobby\",\"limit\":0}",
                "{\"room\":\"lobby\",\"limit\":101}", "{\"room\":\"lobby\",\"limit\":\"ten\"}",
                "{\"room\":\"lobby\",\"after\":\"no spaces\"}", "{\"room\":\"lobby\",\"after\":7}")) {
            assertThat(payload, errorOf(call(alice, "who", payload)), is("bad_request"));
        }
        assertThat(call(alice, "who", "{\"room\":\"lobby\",\"limit\":100}").path("ok").asBoolean(), is(true));
    }

    @Test
    void whoAnswersOnlyASocketInTheRoom() {
        Client alice = chat.connected("alice");
        Client aliceElsewhere = chat.connected("alice");
        call(alice, "join", "{\"room\":\"lobby\"}");

        assertThat(errorOf(call(aliceElsewhere, "who", "{\"room\":\"lobby\"}")), is("forbidden"));
        assertThat(errorOf(call(aliceElsewhere, "who", "{\"room\":\"dm:alice:bob\"}")), is("forbidden"));
    }

    @Test
    void onlineCountsThePresentUsersOfEachRoomNamed() {
        Client alice = chat.connected("alice");
        Client bob = chat.connected("bob");
        call(alice, "join", "{\"room\":\"lobby\"}");
        call(bob, "join", "{\"room\":\"lobby\"}");
        call(bob, "join", "{\"room\":\"dm:alice:bob\"}");

        JsonNode ack = call(alice, "online", "{\"rooms\":[\"lobby\",\"dm:alice:bob\",\"empty\",\"lobby\"]}");

        assertThat(ack.toString(), ack.path("counts").toString(), is("{\"lobby\":2,\"dm:alice:bob\":1,\"empty\":0}"));
        assertThat(call(alice, "online", "{\"rooms\":[]}").path("counts").size(), is(0));
    }

    @Test
    void onlineRefusesWhatIsNoListOfRoomNamesAndOthersConversations() {
        Client alice = chat.connected("alice");
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(101, "\"lobby\"")) + "]";

        for (String payload : List.of("{}", "{\"rooms\":\"lobby\"}", "{\"rooms\":[1]}", "{\"rooms\":[\"Bad Name\"]}",
                "{\"rooms\":" + tooMany + "}")) {
            assertThat(payload, errorOf(call(alice, "online", payload)), is("bad_request"));
        }
        assertThat(errorOf(call(alice, "online", "{\"rooms\":[\"lobby\",\"dm:bob:carol\"]}")), is("forbidden"));
    }

    /** Sends an event and returns its ack. */
    private JsonNode call(Client client, String name, String payload) {
        long ackId = ackIds.incrementAndGet();
        client.onEvent(name, json(payload), new Ack(ackId));
        List<String> found = ChatFixture.sent(client).stream().filter(p -> p.startsWith("43" + ackId + "[")).toList();
        assertThat("one ack " + ackId + " in " + ChatFixture.sent(client), found, hasSize(1));
        return json(found.getFirst().substring(("43" + ackId).length())).get(0);
    }

    private JsonNode json(String text) {
        try {
            return chat.codec.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> presenceEvents() {
        return chat.bus.published.stream()
                .filter(frame -> frame.kind().equals("presence"))
                .map(frame -> json(frame.body()))
                .map(p -> p.path("user").asText() + ":" + p.path("event").asText())
                .toList();
    }

    private static List<String> listed(JsonNode ack) {
        List<String> entries = new ArrayList<>();
        ack.path("users").forEach(u -> entries.add(u.path("user").asText() + ":" + u.path("sockets").asInt()));
        return entries;
    }

    private static String errorOf(JsonNode ack) {
        return ack.path("error").path("code").asText();
    }
}
