package chat.node.socketio;

import chat.node.engineio.MalformedPacketException;

/**
 * Socket.IO v5 framing, inside Engine.IO message packets, as pure functions over strings: no I/O, no state, so every rule of
 * PROTOCOL.md §1-2 is unit-testable on its own.
 */
public final class SocketIoCodec {
    /** Longest ack id accepted; Socket.IO clients count up from 0, so 15 digits is generous and cannot overflow. */
    private static final int MAX_ACK_DIGITS = 15;

    private SocketIoCodec() {
    }

    /** Decodes the Socket.IO packet carried by an Engine.IO message packet (the text after the {@code 4}). */
    public static Packet decode(String text) throws MalformedPacketException {
        if (text.isEmpty()) {
            throw new MalformedPacketException("empty Socket.IO packet");
        }
        PacketType type = PacketType.fromDigit(text.charAt(0));
        if (type == null) {
            throw new MalformedPacketException("unknown Socket.IO packet type '" + text.charAt(0) + "'");
        }
        int pos = 1;
        if (type == PacketType.BINARY_EVENT || type == PacketType.BINARY_ACK) {
            int dash = text.indexOf('-', pos);
            if (dash < 0 || dash == pos || !allDigits(text, pos, dash)) {
                throw new MalformedPacketException("binary packet without attachment count");
            }
            pos = dash + 1;
        }
        String namespace = Packet.ROOT_NAMESPACE;
        if (pos < text.length() && text.charAt(pos) == '/') {
            int comma = text.indexOf(',', pos);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(pos, end);
            pos = comma < 0 ? text.length() : comma + 1;
        }
        int digitsEnd = pos;
        while (digitsEnd < text.length() && Character.isDigit(text.charAt(digitsEnd))) {
            digitsEnd++;
        }
        long ackId = Packet.NO_ACK;
        if (digitsEnd > pos) {
            if (digitsEnd - pos > MAX_ACK_DIGITS) {
                throw new MalformedPacketException("ack id too long");
            }
            ackId = Long.parseLong(text, pos, digitsEnd, 10);
        }
        String data = digitsEnd < text.length() ? text.substring(digitsEnd) : null;
        if (data != null) {
            char first = data.charAt(0);
            if (first != '[' && first != '{') {
                throw new MalformedPacketException("payload must be a JSON array or object");
            }
        }
        return validate(new Packet(type, namespace, ackId, data));
    }

    private static Packet validate(Packet packet) throws MalformedPacketException {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> {
                if (packet.data() == null || packet.data().charAt(0) != '[') {
                    throw new MalformedPacketException("event payload must be a JSON array");
                }
            }
            case ACK, BINARY_ACK -> {
                if (!packet.wantsAck() || packet.data() == null || packet.data().charAt(0) != '[') {
                    throw new MalformedPacketException("ack needs an id and a JSON array");
                }
            }
            case CONNECT -> {
                if (packet.data() != null && packet.data().charAt(0) != '{') {
                    throw new MalformedPacketException("connect payload must be a JSON object");
                }
            }
            default -> {
            }
        }
        return packet;
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code 40{"sid":...}}: the namespace connection is accepted. */
    public static String connectAccepted(String socketId) {
        return "40{\"sid\":\"" + socketId + "\"}";
    }

    /**
     * {@code 40{"sid":...,"pid":...}}: accepted, with the private session id that connection state recovery
     * needs (null: none, as {@link #connectAccepted(String)}). Both ids are URL-safe base64 and need no escaping.
     */
    public static String connectAccepted(String socketId, String pid) {
        return pid == null ? connectAccepted(socketId) : "40{\"sid\":\"" + socketId + "\",\"pid\":\"" + pid + "\"}";
    }

    /** {@code 44{"message":...}} for the given namespace; {@code messageJson} is an encoded JSON string. */
    public static String connectError(String namespace, String messageJson) {
        String prefix = Packet.ROOT_NAMESPACE.equals(namespace) ? "44" : "44" + namespace + ",";
        return prefix + "{\"message\":" + messageJson + "}";
    }

    /** {@code 42["event",payload]}; {@code payloadJson} is already-encoded JSON. */
    public static String event(String eventNameJson, String payloadJson) {
        return "42[" + eventNameJson + "," + payloadJson + "]";
    }

    /** {@code 42["event",payload,last]}: an event with a second argument, such as a recovery offset. */
    public static String event(String eventNameJson, String payloadJson, String lastJson) {
        return "42[" + eventNameJson + "," + payloadJson + "," + lastJson + "]";
    }

    /** {@code 43<ackId>[payload]}; {@code payloadJson} is already-encoded JSON. */
    public static String ack(long ackId, String payloadJson) {
        return "43" + ackId + "[" + payloadJson + "]";
    }

    public static String disconnect() {
        return "41";
    }
}
