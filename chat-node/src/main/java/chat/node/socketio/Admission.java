package chat.node.socketio;

/** The answer to a Socket.IO CONNECT. */
public sealed interface Admission {

    /** Connected; the client learns its socket id. */
    record Accepted(String socketId) implements Admission {
    }

    /** Refused with a message the client sees as {@code connect_error}. */
    record Refused(String message) implements Admission {
    }
}
