package chat.node.cluster;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

@ExtendWith(ChatStackExtension.class)
class RedisRestartTest {

    @Test
    void deliveryResumesAfterRedisRestartsWithoutRestartingNodesAndSeqIsNeverReused(TestStack stack)
            throws Exception {
        String room = stack.uniqueName("phoenix");
        try (TestCluster cluster = TestCluster.of(stack, 2);
             SioClient a = cluster.connect(0, "ann");
             SioClient b = cluster.connect(1, "bob")) {
            a.call("join", Map.of("room", room));
            b.call("join", Map.of("room", room));
            JsonNode before = a.call("message", Map.of("room", room, "text", "before"));
            b.await("message", m -> m.path("text").asText().equals("before"));

            stack.redisServer().stop();
            JsonNode during = a.call("message", Map.of("room", room, "text", "during"));
            assertThat(during.toString(), during.path("error").path("code").asText(), is("unavailable"));
            stack.redisServer().start();

            long deadline = System.currentTimeMillis() + 15_000;
            JsonNode after = null;
            while (System.currentTimeMillis() < deadline) {
                after = a.call("message", Map.of("room", room, "text", "after"));
                if (after.path("ok").asBoolean()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(String.valueOf(after), after.path("ok").asBoolean(), is(true));
            System.err.println("DEBUG after=" + after + " a.frames=" + a.frames() + " b.frames=" + b.frames());
            JsonNode delivered = b.await("message", m -> m.path("text").asText().equals("after"));
            assertThat(delivered.path("seq").asLong(), greaterThan(before.path("seq").asLong()));
            assertThat(after.path("seq").asLong(), greaterThan(before.path("seq").asLong()));
        }
    }
}
