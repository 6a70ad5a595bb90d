package chat.node.socketio;

/**
 * What the application sees of its Socket.IO connection: a way to send packets and to close it. Which transport
 * carries them is not its concern.
 */
public interface Connection {
    /**
     * Queues a whole packet, such as {@link SocketIoCodec#event}; never blocks.
     *
     * @return false when the connection is closing or was cut off for not reading
     */
    boolean send(String packet);

    /**
     * Queues an event packet that carries the recovery offset {@code room:seq} as its last argument; a connection
     * that logs offsets takes them from here instead of reading the packet.
     */
    default boolean send(String packet, String room, long seq) {
        return send(packet);
    }

    /** Sends what is queued, then closes. */
    void close(String reason);

    /** How many packets were queued on this connection so far: the position of the last one (the first is 1). */
    default long sentCount() {
        return 0;
    }

    /**
     * How many of the first packets queued the client has provably received: it answered a heartbeat ping queued
     * after them, and a connection delivers in order. 0 when nothing is known.
     */
    default long receivedCount() {
        return 0;
    }
}
