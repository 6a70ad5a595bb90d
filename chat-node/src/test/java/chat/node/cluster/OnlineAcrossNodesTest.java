package chat.node.cluster;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Who is online (PROTOCOL.md §5, {@code who} and {@code online}) across two nodes on real Redis: every user present
 * on either node with their sockets summed, paged by name, and in step with the {@code presence} events.
 */
@ExtendWith(ChatStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineAcrossNodesTest {
    private TestCluster cluster;
    private TestStack stack;

    @BeforeAll
    void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 2, redisSettings());
    }

    /** Where the nodes find Redis: the stack's server; a subclass runs the same specification on a Redis Cluster. */
    Map<String, String> redisSettings() {
        return Map.of();
    }

    /** A connection to the Redis server that holds {@code key}. */
    Jedis redisHolding(String key) {
        return new Jedis(URI.create(stack.redisUrl()));
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void whoListsEveryUserPresentOnEitherNodeWithTheSocketsEachHas() {
        String room = stack.uniqueName("who");
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        try (SioClient annPhone = cluster.connect(0, ann);
             SioClient annLaptop = cluster.connect(0, ann);
             SioClient bobs = cluster.connect(1, bob)) {
            joinAll(room, annPhone, annLaptop, bobs);

            for (SioClient asker : List.of(annLaptop, bobs)) {
                JsonNode ack = asker.call("who", Map.of("room", room));
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                assertThat(ack.path("room").asText(), is(room));
                assertThat(listed(ack), contains(ann + ":2", bob + ":1"));
                assertThat(ack.path("count").asLong(), is(2L));
                assertThat(ack.path("next").isNull(), is(true));
            }
        }
    }

    @Test
    void aUserIsListedFromTheAnnouncementOfTheirArrivalUntilTheAnnouncementOfTheirDeparture() {
        String room = stack.uniqueName("events");
        String bob = stack.uniqueName("bob");
        String watching = stack.uniqueName("watcher");
        try (SioClient watcher = cluster.connect(0, watching);
             SioClient bobs = cluster.connect(1, bob)) {
            joinAll(room, watcher);

            bobs.send("join", Map.of("room", room));
            watcher.await("presence", p -> isAbout(p, bob, "join"));
            assertThat(listed(watcher.call("who", Map.of("room", room))), hasSize(2));

            bobs.send("leave", Map.of("room", room));
            watcher.await("presence", p -> isAbout(p, bob, "leave"));
            assertThat(users(watcher.call("who", Map.of("room", room))), is(List.of(watching)));
        }
    }

    @Test
    void aClosedSocketStopsCountingAndTheUsersLastOneOnAnyNodeEndsTheirPresence() {
        String room = stack.uniqueName("close");
        String ann = stack.uniqueName("ann");
        try (SioClient watcher = cluster.connect(1, stack.uniqueName("watcher"));
             SioClient annOnNode0 = cluster.connect(0, ann);
             SioClient annOnNode1 = cluster.connect(1, ann)) {
            joinAll(room, watcher, annOnNode0, annOnNode1);
            assertThat(socketsOf(watcher, room, ann), is(2));

            annOnNode1.close();
            awaitWho(watcher, room, ack -> listed(ack).contains(ann + ":1"));
            annOnNode0.close();
            watcher.await("presence", p -> isAbout(p, ann, "leave"));

            assertThat(socketsOf(watcher, room, ann), is(0));
            assertThat(watcher.events("presence").stream().filter(p -> isAbout(p, ann, "leave")).toList(), hasSize(1));
        }
    }

    @Test
    void pagesOfOneUserWalkEveryUserExactlyOnceInOrder() {
        String room = stack.uniqueName("pages");
        List<SioClient> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                String name = stack.uniqueName("user" + i);
                names.add(name);
                members.add(cluster.connect(i % 2, name));
            }
            joinAll(room, members.toArray(SioClient[]::new));

            List<String> walked = new ArrayList<>();
            String after = null;
            for (int page = 0; page < 10; page++) {
                Map<String, Object> request = new HashMap<>(Map.of("room", room, "limit", 1));
                if (after != null) {
                    request.put("after", after);
                }
                JsonNode ack = members.getFirst().call("who", request);
                assertThat(ack.toString(), ack.path("users").size(), is(1));
                assertThat(ack.path("count").asLong(), is(5L));
                walked.addAll(users(ack));
                if (ack.path("next").isNull()) {
                    break;
                }
                after = ack.path("next").asText();
            }

            assertThat(walked, is(names.stream().sorted().toList()));
        } finally {
            members.forEach(SioClient::close);
        }
    }

    @Test
    void onlyASocketInTheRoomMayAskWhoIsThereAndOnlyItsUsersHowManyAreInAConversation() {
        String room = stack.uniqueName("private");
        String ann = stack.uniqueName("ann");
        try (SioClient member = cluster.connect(0, ann);
             SioClient outsider = cluster.connect(1, stack.uniqueName("olga"));
             SioClient annElsewhere = cluster.connect(1, ann)) {
            joinAll(room, member);

            for (SioClient asker : List.of(outsider, annElsewhere)) {
                assertThat(errorOf(asker.call("who", Map.of("room", room))), is("forbidden"));
            }
            String conversation = "dm:" + ann + ":zed";
            assertThat(errorOf(outsider.call("online", Map.of("rooms", List.of(conversation)))), is("forbidden"));
        }
    }

    @Test
    void onlineCountsThePresentUsersOfEachRoomAcrossNodes() {
        String both = stack.uniqueName("both");
        String one = stack.uniqueName("one");
        String none = stack.uniqueName("none");
        String annName = stack.uniqueName("ann");
        try (SioClient ann = cluster.connect(0, annName);
             SioClient annAgain = cluster.connect(1, annName);
             SioClient bob = cluster.connect(1, stack.uniqueName("bob"));
             SioClient asker = cluster.connect(0, stack.uniqueName("asker"))) {
            joinAll(both, ann, annAgain, bob);
            joinAll(one, bob);

            JsonNode ack = asker.call("online", Map.of("rooms", List.of(both, one, none)));

            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
            assertThat(ack.path("counts").path(both).asLong(), is(2L));
            assertThat(ack.path("counts").path(one).asLong(), is(1L));
            assertThat(ack.path("counts").path(none).asLong(), is(0L));
            assertThat(ack.path("counts").size(), is(3));
        }
    }

    @Test
    void usersOfANodeThatStopsAreNoLongerListed() {
        String room = stack.uniqueName("stop");
        String leaver = stack.uniqueName("leaver");
        String watching = stack.uniqueName("watcher");
        TestCluster.Member third = cluster.start();
        try (SioClient watcher = cluster.connect(0, watching);
             SioClient leavers = SioClient.connected(third.server().port(), cluster.token(leaver))) {
            joinAll(room, watcher, leavers);
            assertThat(listed(watcher.call("who", Map.of("room", room))), hasSize(2));

            third.server().stop();
            watcher.await("presence", p -> isAbout(p, leaver, "leave"));

            assertThat(users(watcher.call("who", Map.of("room", room))), is(List.of(watching)));
        } finally {
            third.server().stop();
        }
    }

    @Test
    void presenceRedisLostIsCountedBackSilentlyOnceTheNodesResubscribe() {
        String room = stack.uniqueName("amnesia");
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        try (SioClient annPhone = cluster.connect(0, ann);
             SioClient annLaptop = cluster.connect(0, ann);
             SioClient bobs = cluster.connect(1, bob)) {
            joinAll(room, annPhone, annLaptop, bobs);
            annPhone.await("presence", p -> isAbout(p, bob, "join"));
            String online = "chat:{" + room + "}:online";

            try (Jedis redis = redisHolding(online)) {
                redis.del(online, online + "-sockets", online + ":" + ann, online + ":" + bob);
                redis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
            }

            awaitWho(annPhone, room, ack -> listed(ack).equals(List.of(ann + ":2", bob + ":1")));
            JsonNode sent = annPhone.call("message", Map.of("room", room, "text", "still here"));
            assertThat(sent.toString(), sent.path("ok").asBoolean(), is(true));
            // Presence published before the message would reach bob before it, on the room's one channel.
            bobs.await("message", m -> m.path("text").asText().equals("still here"));
            assertThat(bobs.events("presence"), empty());
            assertThat(annPhone.events("presence").stream().map(p -> p.path("user").asText()).toList(),
                    is(List.of(bob)));
        }
    }

    private static void joinAll(String room, SioClient... sockets) {
        for (SioClient socket : sockets) {
            JsonNode ack = socket.call("join", Map.of("room", room));
            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
        }
    }

    /** Asks {@code who} until the answer matches, as a closed socket leaves its rooms a moment after it closed. */
    private static JsonNode awaitWho(SioClient asker, String room, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode ack = null;
        while (System.nanoTime() < deadline) {
            ack = asker.call("who", Map.of("room", room));
            if (matching.test(ack)) {
                return ack;
            }
            sleep(50);
        }
        throw new AssertionError("who never matched; last answer " + ack);
    }

    private static int socketsOf(SioClient asker, String room, String user) {
        for (JsonNode entry : asker.call("who", Map.of("room", room)).path("users")) {
            if (entry.path("user").asText().equals(user)) {
                return entry.path("sockets").asInt();
            }
        }
        return 0;
    }

    /** The users of a {@code who} answer as {@code user:sockets}, in the answer's order. */
    private static List<String> listed(JsonNode ack) {
        List<String> entries = new ArrayList<>();
        ack.path("users").forEach(u -> entries.add(u.path("user").asText() + ":" + u.path("sockets").asInt()));
        return entries;
    }

    private static List<String> users(JsonNode ack) {
        List<String> users = new ArrayList<>();
        ack.path("users").forEach(u -> users.add(u.path("user").asText()));
        return users;
    }

    private static String errorOf(JsonNode ack) {
        return ack.path("error").path("code").asText();
    }

    private static boolean isAbout(JsonNode presence, String user, String event) {
        return presence.path("user").asText().equals(user) && presence.path("event").asText().equals(event);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
