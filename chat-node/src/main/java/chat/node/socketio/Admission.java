package chat.node.socketio;

/** The answer to a Socket.IO CONNECT. */
public sealed interface Admission {

    /**
     * Connected; the client learns its socket id, and the private session id of Socket.IO's connection state
     * recovery when the server offers it.
     *
     * @param socketId    the socket id ({@code sid})
     * @param pid         the private session id ({@code pid}), or null when recovery is off
     * @param afterAnswer runs once the answer is queued, before the client's next packet is handled
     */
    record Accepted(String socketId, String pid, Runnable afterAnswer) implements Admission {
        public Accepted(String socketId) {
            this(socketId, null, () -> { });
        }
    }

    /** Refused with a message the client sees as {@code connect_error}. */
    record Refused(String message) implements Admission {
    }
}
