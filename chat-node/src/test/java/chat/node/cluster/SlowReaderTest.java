package chat.node.cluster;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

@ExtendWith(ChatStackExtension.class)
class SlowReaderTest {
    private static final int MESSAGES = 2500;

    @Test
    void readerThatStopsReadingIsCutOffWhileOthersKeepUp(TestStack stack) throws InterruptedException {
        String room = stack.uniqueName("firehose");
        String text = "z".repeat(3900);
        try (TestCluster cluster = TestCluster.of(stack, 1, Map.of("chat.limits.ratepersecond", "100000",
                "chat.limits.burst", "100000", "chat.limits.outboxframes", "256"));
             SioClient sender = cluster.connect(0, "sender");
             SioClient fast = cluster.connect(0, "fast");
             SioClient slow = cluster.connect(0, "slow")) {
            for (SioClient member : List.of(sender, fast, slow)) {
                member.call("join", Map.of("room", room));
            }
            slow.stopReading();
            for (int i = 0; i < MESSAGES; i++) {
                sender.emit("message", Map.of("room", room, "text", text));
            }
            List<JsonNode> received = fast.awaitCount("message", MESSAGES);
            long worst = 0;
            for (JsonNode message : received) {
                worst = Math.max(worst, fast.arrivalMillis(message) - message.path("ts").asLong());
            }
            // A stuck peer must not hold the others back; without the per-socket outbox this waits forever.
            assertThat("worst delivery latency to the fast reader (ms)", worst, lessThan(5000L));
            long deadline = System.currentTimeMillis() + 10_000;
            while (cluster.node(0).engine().openSessions() > 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat("the slow socket was cut off", cluster.node(0).engine().openSessions(), is(2));
            assertThat(fast.isClosed(), is(false));
            slow.resumeReading();
            assertThat(slow.awaitClosed(Duration.ofSeconds(10)), is(true));
        }
    }
}
