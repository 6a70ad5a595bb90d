package chat.node.engineio;

/**
 * One Engine.IO v4 packet: a type digit and the text after it.
 *
 * @param type    Engine.IO packet type
 * @param payload everything after the type digit (possibly empty)
 */
public record EnginePacket(Type type, String payload) {

    /** Engine.IO v4 packet types; the ordinal is the digit on the wire. */
    public enum Type {
        OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP
    }
}
