package chat.common;

/**
 * A record or envelope whose JSON does not have the expected shape; the message says which field is wrong.
 */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
