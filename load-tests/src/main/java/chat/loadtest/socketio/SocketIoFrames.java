package chat.loadtest.socketio;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client side of the Socket.IO v5 / Engine.IO v4 text frames of docs/PROTOCOL.md, as plain functions over
 * strings: what a load-test user sends, and how it reads the room messages it receives.
 *
 * <p>The message text a load-test user sends starts with its send time in epoch milliseconds and a space, so that
 * any receiver can measure the delay from sender to itself.
 */
public final class SocketIoFrames {

    /** The ack id of a join; messages use 1 to {@value #MAX_MESSAGE_ACK_ID}. */
    public static final int JOIN_ACK_ID = 0;
    /**
     * Message ack ids cycle through a small range, so the patterns that match them stay few (Gatling caches its
     * compiled patterns); a user awaits each ack before the next send, so ids never clash.
     */
    public static final int MAX_MESSAGE_ACK_ID = 99;

    private static final String MESSAGE_EVENT = "42[\"message\",";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SocketIoFrames() {
    }

    /** The Engine.IO path of a node, e.g. {@code ws://127.0.0.1:8081} to its WebSocket endpoint. */
    public static String endpoint(String wsBaseUrl) {
        String base = wsBaseUrl.endsWith("/") ? wsBaseUrl.substring(0, wsBaseUrl.length() - 1) : wsBaseUrl;
        return base + "/socket.io/?EIO=4&transport=websocket";
    }

    /** Socket.IO CONNECT to namespace {@code /} with a token. */
    public static String connect(String token) {
        ObjectNode auth = JSON.createObjectNode().put("token", token);
        return "40" + auth;
    }

    public static String join(String room) {
        ObjectNode body = JSON.createObjectNode().put("room", room);
        return event(JOIN_ACK_ID, "join", body);
    }

    /** A {@code message} event whose text carries the send time and is padded to {@code textLength} characters. */
    public static String message(int ackId, String room, String cid, long sentAt, int textLength) {
        StringBuilder text = new StringBuilder(Math.max(textLength, 20)).append(sentAt).append(' ');
        while (text.length() < textLength) {
            text.append('x');
        }
        ObjectNode body = JSON.createObjectNode().put("room", room).put("text", text.toString()).put("cid", cid);
        return event(ackId, "message", body);
    }

    /** The ack id after {@code previous}, cycling through 1 to {@value #MAX_MESSAGE_ACK_ID}. */
    public static int nextMessageAckId(int previous) {
        return previous % MAX_MESSAGE_ACK_ID + 1;
    }

    /** The regular expression an ack frame for {@code ackId} starts with. */
    public static String ackPattern(int ackId) {
        return "^43" + ackId + "\\[";
    }

    /**
     * The room message in a server frame {@code 42["message",{...}]}; empty for every other frame. The load
     * generator reads thousands per second, so the four fields are found by scanning, and only a frame that does not
     * scan is parsed as JSON.
     */
    public static Optional<Delivery> delivery(String frame) {
        if (!frame.startsWith(MESSAGE_EVENT)) {
            return Optional.empty();
        }
        String room = stringField(frame, "\"room\":\"");
        String from = stringField(frame, "\"from\":\"");
        long seq = numberField(frame, "\"seq\":");
        long sentAt = numberField(frame, "\"text\":\"");
        if (room != null && from != null && seq >= 0) {
            return Optional.of(new Delivery(room, seq, from, sentAt));
        }
        return parsed(frame);
    }

    private static String stringField(String frame, String key) {
        int start = frame.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = frame.indexOf('"', start);
        return end < 0 || frame.lastIndexOf('\\', end) > start ? null : frame.substring(start, end);
    }

    private static long numberField(String frame, String key) {
        int start = frame.indexOf(key);
        if (start < 0) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        for (int i = start + key.length(); i < frame.length() && Character.isDigit(frame.charAt(i)); i++, digits++) {
            value = value * 10 + (frame.charAt(i) - '0');
        }
        return digits == 0 || digits > 18 ? -1 : value;
    }

    private static Optional<Delivery> parsed(String frame) {
        try {
            JsonNode args = JSON.readTree(frame.substring(2));
            JsonNode message = args.path(1);
            String text = message.path("text").asText("");
            int space = text.indexOf(' ');
            long sentAt = space > 0 ? parseLong(text.substring(0, space)) : -1;
            return Optional.of(new Delivery(message.path("room").asText(), message.path("seq").asLong(-1),
                    message.path("from").asText(), sentAt));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed message frame: " + frame, e);
        }
    }

    private static long parseLong(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String event(int ackId, String name, ObjectNode body) {
        return "42" + ackId + "[\"" + name + "\"," + body + "]";
    }
}
