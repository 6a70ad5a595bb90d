package chat.node.socketio;

/**
 * Socket.IO v5 packet types; the ordinal is the digit on the wire.
 */
public enum PacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    static PacketType fromDigit(char digit) {
        int index = digit - '0';
        PacketType[] all = values();
        if (index < 0 || index >= all.length) {
            return null;
        }
        return all[index];
    }

    char digit() {
        return (char) ('0' + ordinal());
    }
}
