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

    /** Sends what is queued, then closes. */
    void close(String reason);
}
