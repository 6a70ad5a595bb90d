package chat.node.auth;

import chat.node.support.IdentityProvider;
import chat.node.support.JwksServer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static chat.node.support.IdentityProvider.AUDIENCE;
import static chat.node.support.IdentityProvider.ISSUER;
import static chat.node.support.IdentityProvider.claims;
import static chat.node.support.IdentityProvider.sign;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Which tokens a node takes: HS256 with the secret, RS256 and ES256 with the keys of a JWKS the test serves, each
 * checked for issuer, audience and expiry.
 */
class TokenVerifierTest {
    private static final String SECRET = "verifier-test-secret-0123456789-abcdef";

    private final JwksServer jwks = new JwksServer();
    private final RSAKey rsa = IdentityProvider.rsaKey("rsa-1");
    private final ECKey ec = IdentityProvider.ecKey("ec-1");
    private TokenVerifier verifier;

    @AfterEach
    void stop() throws Exception {
        if (verifier != null) {
            verifier.close();
        }
        jwks.close();
    }

    @Test
    void rs256AndEs256TokensSignedByKeysOfTheJwksAreAccepted() {
        jwks.publish(rsa, ec);
        verifier = provider(ISSUER, AUDIENCE, Duration.ZERO);
        Optional<Identity> byRsa = verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5))
                .claim("name", "Alice").claim("role", "admin").build()));
        Optional<Identity> byEc = verifier.verify(sign(ec, claims("bob", Duration.ofMinutes(5)).build()));
        assertThat(byRsa.map(Identity::user), is(Optional.of("alice")));
        assertThat(byRsa.map(Identity::name), is(Optional.of("Alice")));
        assertThat(byRsa.map(Identity::admin), is(Optional.of(true)));
        assertThat(byEc.map(Identity::user), is(Optional.of("bob")));
        assertThat(byEc.map(Identity::admin), is(Optional.of(false)));
    }

    @Test
    void hs256TokensAreAcceptedAlongsideTheIdentityProvidersWhenBothAreConfigured() {
        jwks.publish(rsa);
        verifier = new TokenVerifier(new AuthSettings(SECRET, url(jwks), null, null, Duration.ZERO));
        String hs256 = new TokenSigner(SECRET).issue("carol", null, false, Duration.ofMinutes(5));
        assertThat(verifier.verify(hs256).map(Identity::user), is(Optional.of("carol")));
        assertThat(verifier.verify(sign(rsa, claims("dave", Duration.ofMinutes(5)).build())).isPresent(), is(true));
    }

    @Test
    void tokenOfARotatedKeyIsAcceptedAfterTheJwksIsFetchedAgain() {
        jwks.publish(rsa);
        verifier = provider(null, null, Duration.ZERO);
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).build())).isPresent(), is(true));
        assertThat(jwks.fetches(), is(1));

        RSAKey rotated = IdentityProvider.rsaKey("rsa-2");
        jwks.publish(rsa, rotated);
        assertThat(verifier.verify(sign(rotated, claims("alice", Duration.ofMinutes(5)).build())).isPresent(),
                is(true));
        assertThat(jwks.fetches(), is(2));
        assertThat(verifier.verify(sign(rsa, claims("bob", Duration.ofMinutes(5)).build())).isPresent(), is(true));
        assertThat("known keys come from the cache", jwks.fetches(), is(2));
    }

    @Test
    void tokensNamingUnknownKeysCannotMakeTheNodeFetchTheJwksOverAndOver() {
        jwks.publish(rsa);
        verifier = provider(null, null, Duration.ZERO);
        verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).build()));
        for (int i = 0; i < 20; i++) {
            String forged = sign(IdentityProvider.rsaKey("unknown-" + i), claims("mallory", Duration.ofMinutes(5))
                    .build());
            assertThat(verifier.verify(forged).isPresent(), is(false));
        }
        assertThat(jwks.fetches(), lessThanOrEqualTo(2));
        assertThat("keys already known still verify", verifier.verify(sign(rsa, claims("alice",
                Duration.ofMinutes(5)).build())).isPresent(), is(true));
    }

    @Test
    void tokenSignedByAnotherKeyUnderAPublishedKeyIdIsRefused() {
        jwks.publish(rsa);
        verifier = provider(null, null, Duration.ZERO);
        RSAKey impostor = IdentityProvider.rsaKey(rsa.getKeyID());
        assertThat(verifier.verify(sign(impostor, claims("alice", Duration.ofMinutes(5)).build())).isPresent(),
                is(false));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        jwks.publish(rsa);
        verifier = provider(ISSUER, AUDIENCE, Duration.ZERO);
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).issuer("https://other.test")
                .build())).isPresent(), is(false));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).issuer(null).build()))
                .isPresent(), is(false));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).audience("billing").build()))
                .isPresent(), is(false));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).audience((String) null)
                .build())).isPresent(), is(false));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5))
                .audience(java.util.List.of("billing", AUDIENCE)).build())).isPresent(), is(true));
    }

    @Test
    void expiredTokenIsRefusedBeyondTheClockSkewAndAcceptedWithinIt() {
        jwks.publish(ec);
        verifier = provider(null, null, Duration.ofSeconds(30));
        String expiredTenSecondsAgo = sign(ec, claims("alice", Duration.ofSeconds(-10)).build());
        String expiredAMinuteAgo = sign(ec, claims("alice", Duration.ofSeconds(-60)).build());
        assertThat(verifier.verify(expiredTenSecondsAgo).map(Identity::expires).isPresent(), is(true));
        assertThat(verifier.verify(expiredAMinuteAgo).isPresent(), is(false));

        try (TokenVerifier strict = provider(null, null, Duration.ZERO)) {
            assertThat(strict.verify(expiredTenSecondsAgo).isPresent(), is(false));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tokenNotValidBeforeALaterTimeIsRefusedBeyondTheClockSkew() {
        jwks.publish(ec);
        verifier = provider(null, null, Duration.ofSeconds(30));
        Date inTenSeconds = Date.from(Instant.now().plusSeconds(10));
        Date inAMinute = Date.from(Instant.now().plusSeconds(60));
        assertThat(verifier.verify(sign(ec, claims("alice", Duration.ofMinutes(5)).notBeforeTime(inTenSeconds)
                .build())).isPresent(), is(true));
        assertThat(verifier.verify(sign(ec, claims("alice", Duration.ofMinutes(5)).notBeforeTime(inAMinute)
                .build())).isPresent(), is(false));
    }

    @Test
    void hs256TokenSignedWithTheProvidersPublicKeyAsSecretIsRefused() throws Exception {
        jwks.publish(rsa);
        String confused = hs256(rsa.toRSAPublicKey().getEncoded(), claims("alice", Duration.ofMinutes(5))
                .claim("role", "admin").build(), rsa.getKeyID());
        verifier = provider(null, null, Duration.ZERO);
        assertThat(verifier.verify(confused).isPresent(), is(false));
        try (TokenVerifier withSecret = new TokenVerifier(new AuthSettings(SECRET, url(jwks), null, null,
                Duration.ZERO))) {
            assertThat(withSecret.verify(confused).isPresent(), is(false));
        }
    }

    @Test
    void providerTokenIsRefusedWhereOnlyASecretIsConfigured() {
        verifier = new TokenVerifier(new AuthSettings(SECRET, null, null, null, Duration.ZERO));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).build())).isPresent(),
                is(false));
    }

    @Test
    void unsignedTokenIsRefused() {
        verifier = new TokenVerifier(new AuthSettings(SECRET, null, null, null, Duration.ZERO));
        String unsigned = new PlainJWT(claims("alice", Duration.ofMinutes(5)).build()).serialize();
        assertThat(verifier.verify(unsigned).isPresent(), is(false));
        assertThat(verifier.verify("not.a.token").isPresent(), is(false));
        assertThat(verifier.verify("").isPresent(), is(false));
    }

    @Test
    void tokenWithoutSubjectOrExpiryOrWithAnInvalidUserIdIsRefused() {
        verifier = new TokenVerifier(new AuthSettings(SECRET, null, null, null, Duration.ZERO));
        TokenSigner signer = new TokenSigner(SECRET);
        Date later = Date.from(Instant.now().plusSeconds(300));
        assertThat(verifier.verify(signer.sign(new JWTClaimsSet.Builder().expirationTime(later).build()))
                .isPresent(), is(false));
        assertThat(verifier.verify(signer.sign(new JWTClaimsSet.Builder().subject("alice").build())).isPresent(),
                is(false));
        assertThat(verifier.verify(signer.sign(new JWTClaimsSet.Builder().subject("no spaces").expirationTime(later)
                .build())).isPresent(), is(false));
    }

    @Test
    void unreachableJwksRefusesProviderTokensAndKeepsTakingHs256Ones() throws Exception {
        URL nowhere = URI.create("http://127.0.0.1:9/jwks.json").toURL();
        verifier = new TokenVerifier(new AuthSettings(SECRET, nowhere, null, null, Duration.ZERO));
        assertThat(verifier.verify(sign(rsa, claims("alice", Duration.ofMinutes(5)).build())).isPresent(),
                is(false));
        assertThat(verifier.verify(new TokenSigner(SECRET).issue("bob", null, false, Duration.ofMinutes(5)))
                .isPresent(), is(true));
    }

    private TokenVerifier provider(String issuer, String audience, Duration skew) {
        return new TokenVerifier(new AuthSettings(null, url(jwks), issuer, audience, skew));
    }

    private static URL url(JwksServer server) {
        try {
            return URI.create(server.url()).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String hs256(byte[] secret, JWTClaimsSet claims, String kid) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
