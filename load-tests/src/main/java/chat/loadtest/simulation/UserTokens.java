package chat.loadtest.simulation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Signs the HS256 JWTs load-test users connect with, as the cluster's identity provider would. */
public final class UserTokens {

    /** Longer than any load run, shorter than a day so that a leaked token is soon worthless. */
    private static final Duration VALIDITY = Duration.ofHours(2);

    private final MACSigner signer;

    public UserTokens(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("authSecret is required");
        }
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (KeyLengthException e) {
            throw new IllegalArgumentException("authSecret must have at least 32 bytes, as the nodes require", e);
        }
    }

    public String tokenFor(String user) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user)
                .expirationTime(Date.from(Instant.now().plus(VALIDITY)))
                .build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
