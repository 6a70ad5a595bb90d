package chat.node.auth;

/**
 * Who a verified token speaks for.
 *
 * @param user  user id ({@code sub})
 * @param name  display name, or null
 * @param admin whether the token carries {@code role: admin}
 */
public record Identity(String user, String name, boolean admin) {
}
