package chat.node.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Signs HS256 tokens with the cluster secret: the dev tokens of {@code POST /api/dev/token}, and those of tests.
 */
public final class TokenSigner {
    private static final JWSHeader HEADER = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();

    private final MACSigner signer;
    private final String issuer;
    private final String audience;

    /** Signs tokens with no {@code iss} and no {@code aud}. */
    public TokenSigner(String secret) {
        this(secret, null, null);
    }

    /** Signs tokens the node's own verifier accepts: with the {@code iss} and {@code aud} it requires, if any. */
    public TokenSigner(AuthSettings settings) {
        this(settings.secret(), settings.issuer(), settings.audience());
    }

    private TokenSigner(String secret, String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (KeyLengthException e) {
            throw new IllegalArgumentException("the HS256 secret must have at least " + AuthSettings.MIN_SECRET_BYTES
                    + " bytes", e);
        }
    }

    /** Signs a token for {@code user}, valid for {@code ttl}; {@code name} may be null. */
    public String issue(String user, String name, boolean admin, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .issuer(issuer)
                .audience(audience);
        if (name != null) {
            claims.claim("name", name);
        }
        if (admin) {
            claims.claim("role", "admin");
        }
        return sign(claims.build());
    }

    /** Signs any claims, for tokens the dev endpoint never makes (tests of refusals). */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(HEADER, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
