package chat.node.auth;

import chat.node.chat.Names;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies the HS256 JWTs of PROTOCOL.md §3 and, where dev tokens are enabled, issues them.
 */
public final class Tokens {
    private static final String ADMIN_ROLE = "admin";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;

    public Tokens(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the JWT secret must have at least 16 characters");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.verifier = JWT.require(algorithm).withClaimPresence("sub").withClaimPresence("exp").build();
    }

    /** The identity of a valid token; empty for a missing, forged, expired or ill-formed one. */
    public Optional<Identity> verify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            String user = jwt.getSubject();
            if (!Names.isUser(user)) {
                return Optional.empty();
            }
            String name = jwt.getClaim("name").asString();
            boolean admin = ADMIN_ROLE.equals(jwt.getClaim("role").asString());
            return Optional.of(new Identity(user, name, admin));
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
    }

    /** Signs a token for {@code user}, valid for {@code ttl}. */
    public String issue(String user, String name, boolean admin, Duration ttl) {
        var builder = JWT.create()
                .withSubject(user)
                .withIssuedAt(Instant.now())
                .withExpiresAt(Instant.now().plus(ttl));
        if (name != null) {
            builder.withClaim("name", name);
        }
        if (admin) {
            builder.withClaim("role", ADMIN_ROLE);
        }
        return builder.sign(algorithm);
    }
}
