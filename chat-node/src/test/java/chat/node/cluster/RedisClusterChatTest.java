package chat.node.cluster;

import chat.node.support.RedisClusterFixture;
import chat.node.support.SioClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
}
