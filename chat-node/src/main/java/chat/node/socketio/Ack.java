package chat.node.socketio;

/**
 * The acknowledgement a client asked for with an event, by its id; {@link #NONE} when it asked for none.
 *
 * @param id the client's ack id, or -1
 */
public record Ack(long id) {
    public static final Ack NONE = new Ack(Packet.NO_ACK);

    public boolean wanted() {
        return id >= 0;
    }

    /** The ack packet carrying {@code payloadJson} (already-encoded JSON). */
    public String packet(String payloadJson) {
        return SocketIoCodec.ack(id, payloadJson);
    }
}
