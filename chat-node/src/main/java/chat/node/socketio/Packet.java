package chat.node.socketio;

/**
 * One decoded Socket.IO packet.
 *
 * @param type      packet type
 * @param namespace namespace, {@code "/"} when the packet names none
 * @param ackId     acknowledgement id, or -1 when the sender expects no ack
 * @param data      the JSON payload as text, or null when there is none
 */
public record Packet(PacketType type, String namespace, long ackId, String data) {
    public static final String ROOT_NAMESPACE = "/";
    public static final long NO_ACK = -1;

    public boolean wantsAck() {
        return ackId >= 0;
    }
}
