package chat.node.cluster;

import chat.node.support.IdentityProvider;
import chat.node.support.JwksServer;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static chat.node.support.IdentityProvider.claims;
import static chat.node.support.IdentityProvider.sign;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A node that takes the tokens of an identity provider: RS256 and ES256 keys from the JWKS the test serves, with
 * the provider's issuer and audience required.
 */
@ExtendWith(ChatStackExtension.class)
class IdentityProviderTest {
    private static final RSAKey RSA = IdentityProvider.rsaKey("rsa-1");
    private static final ECKey EC = IdentityProvider.ecKey("ec-1");
    private static JwksServer jwks;
    private static TestCluster cluster;
    private static TestStack stack;

    @BeforeAll
    static void start(TestStack testStack) {
        stack = testStack;
        jwks = new JwksServer().publish(RSA, EC);
        cluster = TestCluster.of(testStack, 1, Map.of("chat.auth.jwksurl", jwks.url(),
                "chat.auth.issuer", IdentityProvider.ISSUER, "chat.auth.audience", IdentityProvider.AUDIENCE));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        jwks.close();
    }

    @Test
    void providerTokensConnectAndChat() {
        String room = stack.uniqueName("idp");
        String rsaToken = sign(RSA, claims("alice", Duration.ofMinutes(5)).build());
        String ecToken = sign(EC, claims("bob", Duration.ofMinutes(5)).build());
        try (SioClient alice = SioClient.connected(cluster.port(0), rsaToken);
             SioClient bob = SioClient.connected(cluster.port(0), ecToken)) {
            alice.call("join", Map.of("room", room));
            bob.call("join", Map.of("room", room));
            assertThat(alice.call("message", Map.of("room", room, "text", "signed by the provider"))
                    .path("ok").asBoolean(), is(true));
            JsonNode received = bob.await("message", m -> m.path("room").asText().equals(room));
            assertThat(received.path("from").asText(), is("alice"));
        }
    }

    @Test
    void providerTokenForAnotherAudienceOrIssuerIsRefused() {
        String otherAudience = sign(RSA, claims("alice", Duration.ofMinutes(5)).audience("billing").build());
        String otherIssuer = sign(EC, claims("alice", Duration.ofMinutes(5)).issuer("https://evil.test").build());
        for (String token : new String[] {otherAudience, otherIssuer, cluster.token("alice")}) {
            try (SioClient client = SioClient.open(cluster.port(0))) {
                assertThat(client.connect(token), is("44{\"message\":\"unauthorized\"}"));
            }
        }
    }

    @Test
    void providerTokenWithTheAdminRoleMayAnnounce() throws Exception {
        String admin = sign(EC, claims("ops", Duration.ofMinutes(5)).claim("role", "admin").build());
        try (SioClient listener = SioClient.connected(cluster.port(0),
                sign(RSA, claims("listener", Duration.ofMinutes(5)).build()))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + cluster.port(0) + "/api/announce"))
                    .header("Authorization", "Bearer " + admin)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from the provider\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body(), response.statusCode(), is(202));
            assertThat(listener.await("announce", a -> true).path("text").asText(), is("from the provider"));
        }
    }

    @Test
    void devTokensOfANodeThatRequiresAnIssuerCarryIt() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + cluster.port(0) + "/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"dev-user\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("token")
                .asText();
        try (SioClient client = SioClient.open(cluster.port(0))) {
            assertThat(client.connect(token), startsWith("40{\"sid\":"));
        }
    }
}
