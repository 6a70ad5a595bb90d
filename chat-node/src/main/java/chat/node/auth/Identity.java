package chat.node.auth;

import java.time.Instant;

/**
 * Who a verified token speaks for, and until when.
 *
 * @param user    user id ({@code sub})
 * @param name    display name, or null
 * @param admin   whether the token carries {@code role: admin}
 * @param expires the token's {@code exp}
 */
public record Identity(String user, String name, boolean admin, Instant expires) {
}
