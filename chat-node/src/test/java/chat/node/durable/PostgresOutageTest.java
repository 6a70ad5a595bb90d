package chat.node.durable;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XTrimParams;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The node's side of a PostgreSQL outage: what needs the archive says so, what Redis still holds is served. */
@ExtendWith(ChatStackExtension.class)
class PostgresOutageTest {

    @Test
    void historyAnswersUnavailableAndRecentRecoveryStillWorksWhileTheDatabaseIsDown(TestStack stack)
            throws Exception {
        String room = stack.uniqueName("dbdown");
        try (TestCluster cluster = TestCluster.withArchive(stack, 1, Map.of());
             SioClient alice = cluster.connect(0, "alice")) {
            alice.call("join", Map.of("room", room));
            long[] seqs = new long[8];
            for (int i = 0; i < seqs.length; i++) {
                JsonNode ack = alice.call("message", Map.of("room", room, "text", "m" + i));
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                seqs[i] = ack.path("seq").asLong();
            }
            // The recent buffer keeps a room's newest messages; here the newest five, exactly (its own trim is lazy).
            try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
                redis.xtrim("chat:{" + room + "}:recent", XTrimParams.xTrimParams().maxLen(5).exactTrimming());
            }
            stack.postgresServer().stop();
            try (SioClient bob = cluster.connect(0, "bob")) {
                JsonNode recent = bob.call("join", Map.of("room", room, "since", seqs[5]));
                assertThat("the last two are in the recent buffer", recent.path("missed").size(), is(2));
                bob.call("leave", Map.of("room", room));

                JsonNode old = bob.call("join", Map.of("room", room, "since", seqs[0]));
                assertThat("the second and third are only in PostgreSQL", errorCode(old), is("unavailable"));
                assertThat(errorCode(bob.call("history", Map.of("room", room, "limit", 50))), is("unavailable"));

                HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + cluster.port(0) + "/api/rooms/" + room + "/messages"))
                        .header("Authorization", "Bearer " + cluster.token("bob")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(http.statusCode(), is(503));
                assertThat(http.body(), http.body().contains("\"code\":\"unavailable\""), is(true));
            } finally {
                stack.postgresServer().start();
            }
        }
    }

    private static String errorCode(JsonNode ack) {
        return ack.path("error").path("code").asText();
    }
}
