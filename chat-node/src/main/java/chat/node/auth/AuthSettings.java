package chat.node.auth;

import io.helidon.config.Config;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a node checks tokens (the {@code chat.auth} section): an HS256 secret, the JWKS URL of an identity provider
 * for RS256 and ES256, or both; the {@code iss} and {@code aud} a token must carry, if any; the clock skew allowed.
 *
 * @param secret    HS256 secret, or null when the node takes no HS256 tokens
 * @param jwksUrl   where the identity provider publishes its keys, or null
 * @param issuer    the {@code iss} every token must carry, or null for any
 * @param audience  the value the {@code aud} of every token must contain, or null for any
 * @param clockSkew how far the node's clock may be behind or ahead of the token issuer's
 */
public record AuthSettings(String secret, URL jwksUrl, String issuer, String audience, Duration clockSkew) {
    /** RFC 7518 §3.2: an HS256 key has at least as many bits as the hash, and Nimbus refuses shorter ones. */
    public static final int MIN_SECRET_BYTES = 32;

    public AuthSettings {
        secret = blankToNull(secret);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        if (secret == null && jwksUrl == null) {
            throw new IllegalStateException("set chat.auth.secret (CHAT_AUTH_SECRET) for HS256 tokens, "
                    + "chat.auth.jwksurl (CHAT_AUTH_JWKSURL) for an identity provider's RS256/ES256 tokens, or both");
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("chat.auth.secret (CHAT_AUTH_SECRET) must have at least "
                    + MIN_SECRET_BYTES + " bytes, as HS256 requires");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalStateException("chat.auth.clockskew must not be negative");
        }
    }

    /** Reads the {@code chat.auth} section. */
    public static AuthSettings from(Config auth) {
        return new AuthSettings(
                auth.get("secret").asString().orElse(null),
                url(auth.get("jwksurl").asString().orElse("")),
                auth.get("issuer").asString().orElse(null),
                auth.get("audience").asString().orElse(null),
                Duration.ofSeconds(auth.get("clockskew").asLong().get()));
    }

    private static URL url(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return new URI(text.trim()).toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("chat.auth.jwksurl (CHAT_AUTH_JWKSURL) is not a URL: " + text, e);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
