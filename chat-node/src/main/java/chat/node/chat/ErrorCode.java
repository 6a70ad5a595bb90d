package chat.node.chat;

import java.util.Locale;

/**
 * Error codes of PROTOCOL.md §7; the lower-case name is the wire form.
 */
public enum ErrorCode {
    BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_LARGE, RATE_LIMITED, LIMIT_EXCEEDED, UNAVAILABLE, INTERNAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
