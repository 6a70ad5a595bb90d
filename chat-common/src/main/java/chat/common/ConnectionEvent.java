package chat.common;

import java.util.Objects;

/**
 * One line of the connection log, produced to the {@code chat.events} Kafka topic.
 *
 * @param type   what happened
 * @param user   user id
 * @param name   display name, or null
 * @param room   room for join and leave, null otherwise
 * @param node   id of the chat node that saw it
 * @param socket Socket.IO socket id
 * @param ts     epoch milliseconds at the node
 */
public record ConnectionEvent(Type type, String user, String name, String room, String node, String socket, long ts) {
    public ConnectionEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(socket, "socket");
    }

    /** Kinds of connection-log entries; the lower-case name is the wire form. */
    public enum Type {
        CONNECT, DISCONNECT, JOIN, LEAVE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Type fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
