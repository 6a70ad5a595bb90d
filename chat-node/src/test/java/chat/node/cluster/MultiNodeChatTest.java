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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@ExtendWith(ChatStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeChatTest {
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

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    TestCluster cluster() {
        return cluster;
    }

    TestStack stack() {
        return stack;
    }

    @Test
    void roomMessagesReachEveryMemberOnBothNodesInSeqOrderAndNoOneElse() {
        String room = stack.uniqueName("room");
        try (SioClient a1 = cluster.connect(0, "ann");
             SioClient a2 = cluster.connect(0, "abe");
             SioClient b1 = cluster.connect(1, "bea");
             SioClient b2 = cluster.connect(1, "bob");
             SioClient outsiderA = cluster.connect(0, "oscar");
             SioClient outsiderB = cluster.connect(1, "olga")) {
            for (SioClient member : List.of(a1, a2, b1, b2)) {
                JsonNode ack = member.call("join", Map.of("room", room));
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                assertThat(ack.path("room").asText(), is(room));
            }
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SioClient sender = i % 2 == 0 ? a1 : b2;
                acks.add(sender.emit("message", Map.of("room", room, "text", "hello " + i, "cid", "c" + i)));
            }
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<JsonNode> future : acks) {
                JsonNode ack = future.join();
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                assertThat(ack.path("id").asText(), notNullValue());
                assertThat(ack.path("seq").asLong(), greaterThan(0L));
                assertThat(ack.path("ts").asLong(), greaterThan(0L));
                ids.add(ack.path("id").asText());
            }
            assertThat(ids, hasSize(20));
            List<Long> reference = null;
            for (SioClient member : List.of(a1, a2, b1, b2)) {
                List<JsonNode> received = member.awaitCount("message", 20);
                assertThat(received, hasSize(20));
                List<Long> seqs = received.stream().map(m -> m.path("seq").asLong()).toList();
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat("seq ascending at " + i + ": " + seqs, seqs.get(i), is(seqs.get(i - 1) + 1));
                }
                if (reference == null) {
                    reference = seqs;
                } else {
                    assertThat(seqs, is(reference));
                }
                JsonNode first = received.get(0);
                assertThat(first.path("room").asText(), is(room));
                assertThat(ids.contains(first.path("id").asText()), is(true));
                assertThat(first.has("from"), is(true));
                assertThat(first.has("cid"), is(true));
            }
            assertThat(outsiderA.events("message"), empty());
            assertThat(outsiderB.events("message"), empty());
        }
    }

    @Test
    void directMessageReachesEverySocketOfBothUsersOnBothNodes() {
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        try (SioClient aliceA = cluster.connect(0, alice);
             SioClient aliceB = cluster.connect(1, alice);
             SioClient bobA = cluster.connect(0, bob);
             SioClient bobB = cluster.connect(1, bob);
             SioClient carol = cluster.connect(1, stack.uniqueName("carol"))) {
            JsonNode ack = aliceA.call("dm", Map.of("to", bob, "text", "psst", "cid", "d1"));
            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
            String room = ack.path("room").asText();
            String expected = alice.compareTo(bob) < 0 ? "dm:" + alice + ":" + bob : "dm:" + bob + ":" + alice;
            assertThat(room, is(expected));
            for (SioClient socket : List.of(aliceA, aliceB, bobA, bobB)) {
                JsonNode dm = socket.await("dm", m -> m.path("id").asText().equals(ack.path("id").asText()));
                assertThat(dm.path("text").asText(), is("psst"));
                assertThat(dm.path("from").asText(), is(alice));
                assertThat(dm.path("room").asText(), is(room));
            }
            assertThat(carol.events("dm"), empty());
        }
    }

    @Test
    void editsAndDeletionsReachEverySocketOfARoomAndOfAConversationInSeqOrder() {
        String room = stack.uniqueName("changes");
        String alice = stack.uniqueName("alice");
        String bob = stack.uniqueName("bob");
        try (SioClient aliceA = cluster.connect(0, alice);
             SioClient bobB = cluster.connect(1, bob);
             SioClient bobA = cluster.connect(0, bob)) {
            aliceA.call("join", Map.of("room", room));
            bobB.call("join", Map.of("room", room));
            JsonNode said = aliceA.call("message", Map.of("room", room, "text", "said"));
            JsonNode edit = aliceA.call("edit", Map.of("room", room, "id", said.path("id").asText(), "text", "meant"));
            JsonNode after = aliceA.call("message", Map.of("room", room, "text", "after"));
            assertThat(edit.toString(), edit.path("seq").asLong(), is(said.path("seq").asLong() + 1));
            assertThat(after.path("seq").asLong(), is(edit.path("seq").asLong() + 1));
            for (SioClient member : List.of(aliceA, bobB)) {
                member.await("message", m -> m.path("text").asText().equals("after"));
                List<String> order = member.events().stream().filter(e -> e.name().startsWith("message"))
                        .map(e -> e.name() + ":" + e.payload().path("text").asText()).toList();
                assertThat(order, contains("message:said", "message_edited:meant", "message:after"));
            }

            JsonNode secret = aliceA.call("dm", Map.of("to", bob, "text", "secret"));
            JsonNode deleted = bobA.call("delete", Map.of("room", secret.path("room").asText(),
                    "id", secret.path("id").asText()));
            assertThat("only its author may delete it", deleted.path("error").path("code").asText(),
                    is("forbidden"));
            JsonNode unsent = aliceA.call("delete", Map.of("room", secret.path("room").asText(),
                    "id", secret.path("id").asText()));
            assertThat(unsent.toString(), unsent.path("seq").asLong(), is(secret.path("seq").asLong() + 1));
            for (SioClient socket : List.of(aliceA, bobA, bobB)) {
                JsonNode tombstone = socket.await("message_deleted",
                        m -> m.path("id").asText().equals(secret.path("id").asText()));
                assertThat(tombstone.path("text").asText(), is(""));
                assertThat(tombstone.path("deleted").path("by").asText(), is(alice));
            }
        }
    }

    @Test
    void typingAndPresenceReachOthersInTheRoomAcrossNodes() {
        String room = stack.uniqueName("typing");
        try (SioClient ann = cluster.connect(0, "ann");
             SioClient bob = cluster.connect(1, "bob")) {
            assertThat(bob.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
            assertThat(ann.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
            JsonNode joined = bob.await("presence", p -> p.path("user").asText().equals("ann"));
            assertThat(joined.path("event").asText(), is("join"));
            assertThat(joined.path("room").asText(), is(room));

            ann.send("typing", Map.of("room", room));
            JsonNode typing = bob.await("typing", t -> t.path("room").asText().equals(room));
            assertThat(typing.path("from").asText(), is("ann"));

            assertThat(ann.call("leave", Map.of("room", room)).path("ok").asBoolean(), is(true));
            JsonNode left = bob.await("presence", p -> p.path("event").asText().equals("leave"));
            assertThat(left.path("user").asText(), is("ann"));
            assertThat(ann.events("typing"), empty());
        }
    }

    @Test
    void presenceCountsAUserOnceAcrossTheirSockets() {
        String room = stack.uniqueName("presence");
        try (SioClient watcher = cluster.connect(0, "watcher");
             SioClient danA = cluster.connect(0, "dan");
             SioClient danB = cluster.connect(1, "dan")) {
            watcher.call("join", Map.of("room", room));
            danA.call("join", Map.of("room", room));
            danB.call("join", Map.of("room", room));
            watcher.await("presence", p -> p.path("user").asText().equals("dan"));
            danA.call("leave", Map.of("room", room));
            danB.call("join", Map.of("room", room));
            danB.call("leave", Map.of("room", room));
            watcher.await("presence", p -> p.path("event").asText().equals("leave"));
            List<String> seen = watcher.events("presence").stream()
                    .map(p -> p.path("user").asText() + ":" + p.path("event").asText()).toList();
            assertThat(seen, contains("dan:join", "dan:leave"));
        }
    }

    @Test
    void announcementReachesEverySocketOnEveryNode() throws Exception {
        try (SioClient a = cluster.connect(0, "reader1");
             SioClient b = cluster.connect(1, "reader2")) {
            var request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + cluster.port(1) + "/api/announce"))
                    .header("Authorization", "Bearer " + cluster.adminToken("root"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"maintenance at noon\"}"))
                    .build();
            var response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.body(), response.statusCode(), is(202));
            for (SioClient socket : List.of(a, b)) {
                JsonNode announce = socket.await("announce", x -> true);
                assertThat(announce.path("text").asText(), is("maintenance at noon"));
                assertThat(announce.path("ts").asLong(), greaterThan(0L));
            }
        }
    }

    @Test
    void announcementNeedsTheAdminRole() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + cluster.port(0) + "/api/announce"))
                .header("Authorization", "Bearer " + cluster.token("mallory"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode(), is(403));
        assertThat(response.body(), org.hamcrest.Matchers.containsString("\"forbidden\""));
    }
}
