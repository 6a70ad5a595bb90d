package chat.node.socketio;

/**
 * An Engine.IO v4 packet as carried in one WebSocket text frame: a type digit and the rest of the frame.
 *
 * @param type    Engine.IO packet type
 * @param payload everything after the type digit (possibly empty)
 */
public record EngineFrame(Type type, String payload) {

    /** Engine.IO v4 packet types; the ordinal is the digit on the wire. */
    public enum Type {
        OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP
    }
}
