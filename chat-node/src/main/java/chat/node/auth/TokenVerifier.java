package chat.node.auth;

import chat.node.chat.Names;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the JWTs of PROTOCOL.md §3: HS256 with the cluster secret, RS256 and ES256 with the keys of the identity
 * provider's JWKS; {@code iss} and {@code aud} where configured, {@code exp} and {@code nbf} within the clock skew.
 */
public final class TokenVerifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TokenVerifier.class.getName());
    private static final String ADMIN_ROLE = "admin";
    private static final Set<JWSAlgorithm> PROVIDER_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** Keys are kept this long; a token signed by a key not in the cache refetches at once (within the rate limit). */
    private static final Duration KEYS_CACHED = Duration.ofMinutes(5);
    /** A CONNECT waits at most this long for a refetch another CONNECT started. */
    private static final Duration REFRESH_WAIT = Duration.ofSeconds(5);
    /**
     * At most two fetches in this interval, so tokens naming unknown keys cannot make the node hammer the identity
     * provider; a rotated key is found at once unless someone did that in the last half minute.
     */
    private static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    /** Per attempt; a CONNECT waits for it, so it is short, and the JWKS document is small. */
    private static final int HTTP_TIMEOUT_MILLIS = 2000;
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWKSource<SecurityContext> providerKeys;

    public TokenVerifier(AuthSettings settings) {
        this.providerKeys = settings.jwksUrl() == null ? null : JWKSourceBuilder
                .<SecurityContext>create(settings.jwksUrl(), new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS,
                        HTTP_TIMEOUT_MILLIS, MAX_JWKS_BYTES))
                .cache(KEYS_CACHED.toMillis(), REFRESH_WAIT.toMillis())
                .rateLimited(MIN_REFETCH_INTERVAL.toMillis())
                .build();
        var secretKeys = settings.secret() == null ? null : new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                new ImmutableSecret<SecurityContext>(settings.secret().getBytes(StandardCharsets.UTF_8)));
        var remoteKeys = providerKeys == null ? null
                : new JWSVerificationKeySelector<>(PROVIDER_ALGORITHMS, providerKeys);
        // Each algorithm has its one source of keys: an HS256 token is checked against the secret only, never
        // against a public key of the JWKS (the algorithm confusion attack), and an RS256 one against the JWKS only.
        processor.setJWSKeySelector((JWSHeader header, SecurityContext context) -> {
            if (secretKeys != null && secretKeys.isAllowed(header.getAlgorithm())) {
                return secretKeys.selectJWSKeys(header, context);
            }
            if (remoteKeys != null && remoteKeys.isAllowed(header.getAlgorithm())) {
                return remoteKeys.selectJWSKeys(header, context);
            }
            return List.<Key>of();
        });
        // Identity providers type access tokens "at+jwt" (RFC 9068) or "JWT", or not at all.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        var claims = new DefaultJWTClaimsVerifier<>(
                settings.audience() == null ? null : Set.of(settings.audience()),
                settings.issuer() == null ? null : new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp"), null);
        claims.setMaxClockSkew(Math.toIntExact(settings.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The identity of a valid token; empty for a missing, forged, expired, foreign or ill-formed one. */
    public Optional<Identity> verify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (KeySourceException e) {
            if (!(e instanceof RateLimitReachedException)) {
                LOG.log(System.Logger.Level.WARNING, "could not fetch the identity provider's keys: " + e.getMessage());
            }
            return Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        String user = claims.getSubject();
        if (!Names.isUser(user)) {
            return Optional.empty();
        }
        return Optional.of(new Identity(user, text(claims, "name"), ADMIN_ROLE.equals(text(claims, "role")),
                claims.getExpirationTime().toInstant()));
    }

    private static String text(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : null;
    }

    @Override
    public void close() throws IOException {
        if (providerKeys instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
