package chat.node.durable;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

@ExtendWith(ChatStackExtension.class)
class KafkaReadinessTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void nodeStartedWhileKafkaIsDownBecomesReadyWhenKafkaComesAndThenTakesMessages(TestStack stack) {
        String room = stack.uniqueName("late-kafka");
        stack.kafkaServer().stop();
        TestCluster cluster;
        try {
            cluster = TestCluster.of(stack, 1, Map.of("chat.kafka.acktimeout", "1500"));
            assertThat("not ready without Kafka", readiness(cluster), is(503));
        } finally {
            stack.kafkaServer().start();
        }
        try (cluster; SioClient sender = cluster.connect(0, "sender")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness(cluster) == 200);
            sender.call("join", Map.of("room", room));
            assertThat(sender.call("message", Map.of("room", room, "text", "after all", "cid", "late-1"))
                    .path("ok").asBoolean(), is(true));
        }
    }

    @Test
    void readinessFollowsKafkaGoingAwayWithoutAnyTraffic(TestStack stack) {
        try (TestCluster cluster = TestCluster.of(stack, 1, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(cluster) == 200);
            stack.kafkaServer().stop();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> readiness(cluster) == 503);
            } finally {
                stack.kafkaServer().start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness(cluster) == 200);
        }
    }

    private static int readiness(TestCluster cluster) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.managementPort(0)
                            + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
