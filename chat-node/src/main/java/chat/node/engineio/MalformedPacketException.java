package chat.node.engineio;

/**
 * A frame that is not a valid Engine.IO or Socket.IO packet; the session that sent it is closed.
 */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message);
    }
}
