package chat.node.engineio;

/**
 * Why an Engine.IO request is refused; the code and message are those Engine.IO servers answer with HTTP 400.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown"),
    UNKNOWN_SID(1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    BAD_REQUEST(3, "Bad request"),
    FORBIDDEN(4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;

    EngineError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** Thrown where a request is refused, caught where the answer is written. */
    public static final class Refusal extends Exception {
        private final EngineError error;

        public Refusal(EngineError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public EngineError error() {
            return error;
        }
    }
}
