package chat.node.cluster;

import chat.node.auth.TokenSigner;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A session lasts as long as its token (PROTOCOL.md §3): short-lived tokens on a real node with no clock skew.
 */
@ExtendWith(ChatStackExtension.class)
class SessionExpiryTest {
    private static final TokenSigner SIGNER = new TokenSigner(TestCluster.SECRET);
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 1, Map.of("chat.auth.clockskew", "0"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void sessionGetsSessionExpiredThenADisconnectWhenItsTokenExpiresAndOtherSessionsStay() {
        String user = stack.uniqueName("brief");
        String token = SIGNER.issue(user, null, false, Duration.ofSeconds(2));
        try (SioClient bystander = cluster.connect(0, stack.uniqueName("stays"));
             SioClient client = SioClient.connected(cluster.port(0), token)) {
            JsonNode expired = client.await("session_expired", e -> true);

            assertThat(expired.path("exp").asLong(), is(exp(token)));
            assertThat(expired.path("message").asText(), startsWith("the token expired"));
            assertThat(client.arrivalMillis(expired), greaterThanOrEqualTo(exp(token) * 1000));
            assertThat(client.awaitClosed(Duration.ofSeconds(5)), is(true));
            List<String> frames = client.frames();
            int event = frames.indexOf(frames.stream().filter(f -> f.startsWith("42[\"session_expired\"")).findFirst()
                    .orElseThrow());
            assertThat("the DISCONNECT follows the event", frames.indexOf("41"), greaterThan(event));
            assertThat(bystander.call("leave", Map.of("room", "general")).path("ok").asBoolean(), is(true));
        }
    }

    @Test
    void refreshWithAFreshTokenOfTheSameUserMovesTheEndOfTheSessionToIt() {
        String user = stack.uniqueName("renewed");
        String first = SIGNER.issue(user, null, false, Duration.ofSeconds(2));
        String fresh = SIGNER.issue(user, null, false, Duration.ofSeconds(5));
        try (SioClient client = SioClient.connected(cluster.port(0), first)) {
            JsonNode ack = client.call("refresh", Map.of("token", fresh));
            assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
            assertThat(ack.path("exp").asLong(), is(exp(fresh)));

            JsonNode expired = client.await("session_expired", e -> true);

            assertThat("the first token's end passed without one", client.events("session_expired"), hasSize(1));
            assertThat(expired.path("exp").asLong(), is(exp(fresh)));
            assertThat(client.arrivalMillis(expired), greaterThanOrEqualTo(exp(fresh) * 1000));
            assertThat(client.awaitClosed(Duration.ofSeconds(5)), is(true));
        }
    }

    @Test
    void refreshWithAnotherUsersOrAnInvalidTokenIsRefusedAndTheSessionStillEndsWithItsToken() {
        String user = stack.uniqueName("kept");
        String token = SIGNER.issue(user, null, false, Duration.ofSeconds(3));
        try (SioClient client = SioClient.connected(cluster.port(0), token)) {
            assertError(client.call("refresh", Map.of("token", SIGNER.issue(stack.uniqueName("other"), null, true,
                    Duration.ofHours(1)))), "forbidden");
            assertError(client.call("refresh", Map.of("token", new TokenSigner("another-secret-of-an-attacker-000")
                    .issue(user, null, false, Duration.ofHours(1)))), "unauthorized");
            assertError(client.call("refresh", Map.of("token", SIGNER.issue(user, null, false,
                    Duration.ofSeconds(-5)))), "unauthorized");
            assertError(client.call("refresh", Map.of("nothing", 1)), "bad_request");

            JsonNode expired = client.await("session_expired", e -> true);

            assertThat(expired.path("exp").asLong(), is(exp(token)));
            assertThat(client.awaitClosed(Duration.ofSeconds(5)), is(true));
        }
    }

    private static long exp(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.toString(), ack.path("ok").asBoolean(true), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is(code));
    }
}
