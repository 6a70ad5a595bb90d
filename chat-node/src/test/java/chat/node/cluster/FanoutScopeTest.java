package chat.node.cluster;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

@ExtendWith(ChatStackExtension.class)
class FanoutScopeTest {

    @Test
    void nodeWithoutMembersOfARoomReceivesNothingForIt(TestStack stack) {
        String busy = stack.uniqueName("busy");
        try (TestCluster cluster = TestCluster.of(stack, 2, Map.of("chat.limits.ratepersecond", "1000",
                "chat.limits.burst", "1000"));
             SioClient sender = cluster.connect(0, "sender");
             SioClient reader = cluster.connect(0, "reader");
             Jedis redis = new Jedis(URI.create(stack.redisUrl()))) {
            sender.call("join", Map.of("room", busy));
            reader.call("join", Map.of("room", busy));
            long idleBefore = cluster.node(1).node().receivedFrames();
            for (int i = 0; i < 200; i++) {
                sender.emit("message", Map.of("room", busy, "text", "m" + i));
            }
            reader.awaitCount("message", 200);

            assertThat(redis.pubsubNumSub("chat:room:{" + busy + "}").get("chat:room:{" + busy + "}"), is(1L));
            assertThat(cluster.node(1).node().receivedFrames() - idleBefore, is(0L));
            assertThat(cluster.node(0).node().receivedFrames() >= 200, is(true));
        }
    }

    @Test
    void nodeUnsubscribesWhenItsLastMemberLeaves(TestStack stack) throws Exception {
        String room = stack.uniqueName("fleeting");
        try (TestCluster cluster = TestCluster.of(stack, 1);
             SioClient first = cluster.connect(0, "first");
             SioClient second = cluster.connect(0, "second");
             Jedis redis = new Jedis(URI.create(stack.redisUrl()))) {
            first.call("join", Map.of("room", room));
            second.call("join", Map.of("room", room));
            first.call("leave", Map.of("room", room));
            assertThat(redis.pubsubNumSub("chat:room:{" + room + "}").get("chat:room:{" + room + "}"), is(1L));
            second.close();
            long deadline = System.currentTimeMillis() + 5000;
            while (redis.pubsubNumSub("chat:room:{" + room + "}").get("chat:room:{" + room + "}") != 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(redis.pubsubNumSub("chat:room:{" + room + "}").get("chat:room:{" + room + "}"), is(0L));
        }
    }
}
