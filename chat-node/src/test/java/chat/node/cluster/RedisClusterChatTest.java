package chat.node.cluster;

import chat.node.fanout.Channels;
import chat.node.support.RedisClusterFixture;
import chat.node.support.SioClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * The multi-node chat specification on a Redis Cluster of three masters: rooms, direct messages, typing, presence
 * and announcements through sharded pub/sub, plus the one case only a cluster has, direct messages whose frames
 * take different shards.
 */
class RedisClusterChatTest extends MultiNodeChatTest {
    private final RedisClusterFixture redis = RedisClusterFixture.start();

    @Override
    Map<String, String> redisSettings() {
        return redis.nodeSettings();
    }

    @Override
    @AfterAll
    void stopCluster() {
        super.stopCluster();
        redis.close();
    }

    @Test
    void directMessagesSentAtOnceFromBothSidesArriveInSeqOrderOnEverySocket() {
        String alice = stack().uniqueName("alice");
        String bob = stack().uniqueName("bob");
        try (SioClient aliceA = cluster().connect(0, alice);
             SioClient bobB = cluster().connect(1, bob);
             SioClient bobA = cluster().connect(0, bob)) {
            JsonNode opening = aliceA.call("dm", Map.of("to", bob, "text", "hi"));
            assertThat(opening.toString(), opening.path("ok").asBoolean(), is(true));
            for (SioClient socket : List.of(aliceA, bobB, bobA)) {
                socket.awaitCount("dm", 1);
            }
            List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                acks.add(aliceA.emit("dm", Map.of("to", bob, "text", "a" + i)));
                acks.add(bobB.emit("dm", Map.of("to", alice, "text", "b" + i)));
            }
            acks.forEach(ack -> assertThat(ack.join().toString(), ack.join().path("ok").asBoolean(), is(true)));
            for (SioClient socket : List.of(aliceA, bobB, bobA)) {
                List<JsonNode> received = socket.awaitCount("dm", 81);
                assertThat(received, hasSize(81));
                List<Long> seqs = received.stream().map(m -> m.path("seq").asLong()).toList();
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat("seq ascending at " + i + ": " + seqs, seqs.get(i), is(seqs.get(i - 1) + 1));
                }
            }
        }
    }

    @Test
    void aRoomsChannelIsSubscribedOnlyOnTheShardThatOwnsIt() {
        String room = stack().uniqueName("shard");
        try (SioClient a = cluster().connect(0, "ann");
             SioClient b = cluster().connect(1, "bob")) {
            a.call("join", Map.of("room", room));
            b.call("join", Map.of("room", room));
            String channel = Channels.room(room);
            int owner = redis.redis().masterPortOf(channel);
            for (int port : redis.redis().masterPorts()) {
                try (Jedis master = new Jedis("127.0.0.1", port)) {
                    long subscribers = master.pubsubShardNumSub(channel).get(channel);
                    assertThat("subscribers on " + port + " (owner " + owner + ")", subscribers,
                            is(port == owner ? 2L : 0L));
                }
            }
        }
    }

    @Test
    void aRoomWhoseSlotMovesToAnotherShardKeepsDeliveringInSeqOrder() {
        String room = stack().uniqueName("moving");
        try (SioClient sender = cluster().connect(0, "sender");
             SioClient listener = cluster().connect(1, "listener")) {
            sender.call("join", Map.of("room", room));
            listener.call("join", Map.of("room", room));
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acked.add(sendUntilAcknowledged(sender, room, "before " + i));
            }
            listener.awaitCount("message", 10);

            String seqKey = "chat:{" + room + "}:seq";
            int from = redis.redis().masterPortOf(seqKey);
            int to = redis.redis().masterPorts().stream().filter(port -> port != from).findFirst().orElseThrow();
            redis.redis().migrateSlotOf(seqKey, to);
            for (int i = 0; i < 10; i++) {
                acked.add(sendUntilAcknowledged(sender, room, "after " + i));
            }

            List<Long> seqs = listener.awaitCount("message", 20).stream().map(m -> m.path("seq").asLong()).toList();
            assertThat(seqs, is(acked));
            for (int i = 1; i < seqs.size(); i++) {
                assertThat("seq ascending at " + i + ": " + seqs, seqs.get(i), is(seqs.get(i - 1) + 1));
            }
            try (Jedis owner = new Jedis("127.0.0.1", to)) {
                String channel = Channels.room(room);
                assertThat(owner.pubsubShardNumSub(channel).get(channel), is(2L));
            }
        }
    }

    private static long sendUntilAcknowledged(SioClient sender, String room, String text) {
        for (int attempt = 0; attempt < 50; attempt++) {
            JsonNode ack = sender.call("message", Map.of("room", room, "text", text, "cid", text));
            if (ack.path("ok").asBoolean()) {
                return ack.path("seq").asLong();
            }
            sleep(100);
        }
        throw new AssertionError("'" + text + "' was never acknowledged");
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
