package chat.loadtest.simulation;

import java.time.Duration;
import java.time.Instant;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

/** Signs the HS256 JWTs load-test users connect with, as the cluster's identity provider would. */
public final class UserTokens {

    /** Longer than any load run, shorter than a day so that a leaked token is soon worthless. */
    private static final Duration VALIDITY = Duration.ofHours(2);

    private final Algorithm algorithm;

    public UserTokens(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("authSecret must have at least 16 characters, as the nodes require");
        }
        this.algorithm = Algorithm.HMAC256(secret);
    }

    public String tokenFor(String user) {
        return JWT.create()
                .withSubject(user)
                .withExpiresAt(Instant.now().plus(VALIDITY))
                .sign(algorithm);
    }
}
