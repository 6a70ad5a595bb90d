package chat.node.engineio;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO v4 framing as pure functions over strings: packets, the polling payload that joins them with the
 * record separator, the handshake and the error bodies of refused HTTP requests.
 */
public final class EngineCodec {
    /** Joins the packets of one HTTP long-polling payload (Engine.IO v4: U+001E, the record separator). */
    public static final char SEPARATOR = '\u001e';
    public static final String CLOSE = "1";
    public static final String PING = "2";
    public static final String NOOP = "6";
    public static final String PROBE = "probe";

    private EngineCodec() {
    }

    /** Splits one packet into its type and payload; binary ({@code b...}) packets are refused as malformed. */
    public static EnginePacket decode(String packet) throws MalformedPacketException {
        if (packet == null || packet.isEmpty()) {
            throw new MalformedPacketException("empty Engine.IO packet");
        }
        if (packet.charAt(0) == 'b') {
            throw new MalformedPacketException("binary packets are not supported");
        }
        int index = packet.charAt(0) - '0';
        EnginePacket.Type[] types = EnginePacket.Type.values();
        if (index < 0 || index >= types.length) {
            throw new MalformedPacketException("unknown Engine.IO packet type '" + packet.charAt(0) + "'");
        }
        return new EnginePacket(types[index], packet.substring(1));
    }

    /** The packets of a polling payload, in order. */
    public static List<String> split(String payload) {
        List<String> packets = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                packets.add(payload.substring(start));
                return packets;
            }
            packets.add(payload.substring(start, end));
            start = end + 1;
        }
    }

    /** One polling payload carrying the given packets. */
    public static String join(List<String> packets) {
        // A separator between every two packets, an empty first one included, so that split(join(p)) is p.
        return String.join(String.valueOf(SEPARATOR), packets);
    }

    /** The open packet, first on every session; {@code upgrade} offers the WebSocket to a polling session. */
    public static String open(String sid, boolean upgrade, long pingIntervalMillis, long pingTimeoutMillis,
                              int maxPayload) {
        return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgrade ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + pingIntervalMillis + ",\"pingTimeout\":" + pingTimeoutMillis
                + ",\"maxPayload\":" + maxPayload + "}";
    }

    public static String pong(String payload) {
        return "3" + payload;
    }

    /** The JSON body of a refused request, as Engine.IO servers send it. */
    public static String error(EngineError error) {
        return error(error, error.message());
    }

    /** The body of a refused request with a message of its own, as Engine.IO's {@code allowRequest} sends. */
    public static String error(EngineError error, String message) {
        return "{\"code\":" + error.code() + ",\"message\":\"" + message + "\"}";
    }
}
