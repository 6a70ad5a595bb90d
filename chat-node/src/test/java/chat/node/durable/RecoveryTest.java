package chat.node.durable;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Reconnect recovery from the Redis recent buffer, with no archiver running at all. */
@ExtendWith(ChatStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryTest {
    private TestCluster cluster;
    private TestStack stack;

    @BeforeAll
    void startCluster(TestStack testStack) {
        stack = testStack;
        Map<String, String> settings = new HashMap<>(redisSettings());
        settings.putAll(Map.of("chat.limits.ratepersecond", "1000", "chat.limits.burst", "1000",
                "chat.limits.joinmissed", "150"));
        cluster = TestCluster.of(testStack, 2, settings);
    }

    /** Where the nodes find Redis: the stack's server; a subclass runs the same specification on a Redis Cluster. */
    Map<String, String> redisSettings() {
        return Map.of();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void clientRejoiningWithSinceGetsExactlyTheMessagesItMissedInOrder() {
        String room = stack.uniqueName("gap");
        long since;
        try (SioClient leaver = cluster.connect(1, "leaver")) {
            since = leaver.call("join", Map.of("room", room)).path("seq").asLong();
        }
        List<String> sentIds = new ArrayList<>();
        try (SioClient sender = cluster.connect(0, "sender")) {
            sender.call("join", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                acks.add(sender.emit("message", Map.of("room", room, "text", "m" + i, "cid", "r" + i)));
            }
            acks.forEach(a -> sentIds.add(a.join().path("id").asText()));
        }
        try (SioClient back = cluster.connect(1, "leaver")) {
            JsonNode ack = back.call("join", Map.of("room", room, "since", since));
            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
            JsonNode missed = ack.path("missed");
            assertThat(missed.size(), is(120));
            assertThat(ack.path("more").asBoolean(), is(false));
            for (int i = 0; i < missed.size(); i++) {
                assertThat(missed.get(i).path("id").asText(), is(sentIds.get(i)));
                assertThat(missed.get(i).path("text").asText(), is("m" + i));
                if (i > 0) {
                    assertThat(missed.get(i).path("seq").asLong(), is(missed.get(i - 1).path("seq").asLong() + 1));
                }
            }
            assertThat(missed.get(0).path("seq").asLong(), is(since + 1 > 1 ? since + 1
                    : missed.get(0).path("seq").asLong()));
            assertThat(ack.path("seq").asLong(), is(missed.get(119).path("seq").asLong()));
        }
    }

    @Test
    void missedListIsCutAtTheCapWithMore() {
        String room = stack.uniqueName("cap");
        try (SioClient sender = cluster.connect(0, "sender")) {
            long since = sender.call("join", Map.of("room", room)).path("seq").asLong();
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(sender.emit("message", Map.of("room", room, "text", "m" + i)));
            }
            long firstSeq = acks.get(0).join().path("seq").asLong();
            acks.forEach(CompletableFuture::join);
            try (SioClient late = cluster.connect(1, "late")) {
                JsonNode ack = late.call("join", Map.of("room", room, "since", since));
                assertThat(ack.path("missed").size(), is(150));
                assertThat(ack.path("more").asBoolean(), is(true));
                assertThat(ack.path("missed").get(0).path("seq").asLong(), is(firstSeq));
            }
        }
    }

    @Test
    void liveMessagesAfterARejoinContinueWhereMissedEnds() {
        String room = stack.uniqueName("seam");
        try (SioClient sender = cluster.connect(0, "sender");
             SioClient member = cluster.connect(1, "member")) {
            sender.call("join", Map.of("room", room));
            long since = member.call("join", Map.of("room", room)).path("seq").asLong();
            member.call("leave", Map.of("room", room));
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acks.add(sender.emit("message", Map.of("room", room, "text", "m" + i)));
            }
            // Rejoin while the stream is still flowing: missed and live must meet without gap or overlap.
            JsonNode ack = member.call("join", Map.of("room", room, "since", since));
            acks.forEach(CompletableFuture::join);
            List<Long> seqs = new ArrayList<>();
            ack.path("missed").forEach(m -> seqs.add(m.path("seq").asLong()));
            int live = 100 - seqs.size();
            member.awaitCount("message", live);
            member.events("message").forEach(m -> seqs.add(m.path("seq").asLong()));
            assertThat(seqs, hasSize(100));
            for (int i = 1; i < seqs.size(); i++) {
                assertThat("at " + i + " of " + seqs, seqs.get(i), is(seqs.get(i - 1) + 1));
            }
        }
    }

    @Test
    void resendWithTheSameCidGetsTheSameAckAndIsDeliveredOnce() throws InterruptedException {
        String room = stack.uniqueName("dedupe");
        try (SioClient sender = cluster.connect(0, "sender");
             SioClient member = cluster.connect(1, "member")) {
            sender.call("join", Map.of("room", room));
            member.call("join", Map.of("room", room));
            JsonNode first = sender.call("message", Map.of("room", room, "text", "once", "cid", "same"));
            JsonNode second = sender.call("message", Map.of("room", room, "text", "once", "cid", "same"));
            assertThat(second.path("ok").asBoolean(), is(true));
            assertThat(second.path("id").asText(), is(first.path("id").asText()));
            assertThat(second.path("seq").asLong(), is(first.path("seq").asLong()));
            JsonNode after = sender.call("message", Map.of("room", room, "text", "next", "cid", "other"));
            member.await("message", m -> m.path("id").asText().equals(after.path("id").asText()));
            assertThat(member.events("message"), hasSize(2));
        }
    }
}
