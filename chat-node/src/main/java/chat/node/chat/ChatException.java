package chat.node.chat;

/**
 * A refused client action: carries the error code and the text for people that the error ack shows.
 */
public final class ChatException extends RuntimeException {
    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ChatException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
