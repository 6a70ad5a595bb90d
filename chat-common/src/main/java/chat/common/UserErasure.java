package chat.common;

import java.util.Objects;

/**
 * An admin's erasure of a user, produced to the {@code chat.messages} topic after the user's messages were deleted:
 * the archiver anonymises the user's row (name and the names in the connection log).
 *
 * @param user the user erased
 * @param by   the admin who asked for it
 * @param ts   epoch milliseconds at the node that took the request
 */
public record UserErasure(String user, String by, long ts) {
    public UserErasure {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(by, "by");
    }
}
