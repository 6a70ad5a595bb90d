package chat.node.durable;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

@ExtendWith(ChatStackExtension.class)
class KafkaOutageTest {

    @Test
    void sendsGetUnavailableWhileKafkaIsDownAndAResendWithTheSameCidIsStoredOnce(TestStack stack)
            throws Exception {
        String room = stack.uniqueName("outage");
        try (TestCluster cluster = TestCluster.of(stack, 1, Map.of("chat.kafka.acktimeout", "1500"));
             SioClient sender = cluster.connect(0, "sender");
             SioClient member = cluster.connect(0, "member")) {
            sender.call("join", Map.of("room", room));
            member.call("join", Map.of("room", room));
            assertThat(sender.call("message", Map.of("room", room, "text", "warm-up")).path("ok").asBoolean(),
                    is(true));

            stack.kafkaServer().stop();
            JsonNode refused;
            try {
                refused = sender.call("message", Map.of("room", room, "text", "while down", "cid", "k1"));
            } finally {
                stack.kafkaServer().start();
            }
            assertThat(refused.toString(), refused.path("error").path("code").asText(), is("unavailable"));

            long deadline = System.currentTimeMillis() + 60_000;
            JsonNode resent = null;
            while (System.currentTimeMillis() < deadline) {
                resent = sender.call("message", Map.of("room", room, "text", "while down", "cid", "k1"));
                if (resent.path("ok").asBoolean()) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(String.valueOf(resent), resent.path("ok").asBoolean(), is(true));
            String id = resent.path("id").asText();
            member.await("message", m -> m.path("id").asText().equals(id));
            Thread.sleep(300);
            long copies = member.events("message").stream().filter(m -> m.path("id").asText().equals(id)).count();
            assertThat("delivered once although sent twice", copies, is(1L));
        }
    }
}
