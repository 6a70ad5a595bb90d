package chat.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reading and checking the fields of event payloads; every refusal is a {@link ChatException} with the code and
 * the text its error ack shows.
 */
final class Payloads {
    private Payloads() {
    }

    static ObjectNode ok(ObjectMapper json) {
        ObjectNode ack = json.createObjectNode();
        ack.put("ok", true);
        return ack;
    }

    /**
     * Refuses the client a room it may not use: the node's one access rule ({@link RoomAccess}), for every event
     * that reads or enters a room.
     */
    static void checkReadable(Client client, String room) {
        client.access().check(client.user(), room);
    }

    static String room(ObjectNode body) {
        String room = requiredText(body, "room");
        if (!Names.isPublicRoom(room) && !Names.isDirectRoom(room) && !Names.isMembersOnly(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, ROOM_NAMES);
        }
        return room;
    }

    /** What a room name may be, for the error ack of one that is none. */
    static final String ROOM_NAMES = "room names match ^[a-z0-9][a-z0-9_-]{0,63}$, or are p: and such a name (a"
            + " private room), g:<id> (a group) or dm:<user>:<user>";

    static String requiredText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    static Long optionalSeq(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a non-negative integer");
        }
        return value.asLong();
    }

    /** The optional {@code limit} of a page: {@code fallback} when absent, else an integer from 1 to {@code max}. */
    static int limit(ObjectNode body, int fallback, int max) {
        JsonNode value = body.get("limit");
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > max) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'limit' must be 1 to " + max);
        }
        return value.asInt();
    }

    static long requiredSeq(ObjectNode body, String field) {
        Long seq = optionalSeq(body, field);
        if (seq == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a non-negative integer");
        }
        return seq;
    }

    /**
     * The room of a message as clients receive it, read without parsing the JSON: room names need no escaping.
     * Null when it has none.
     */
    static String roomOf(String messageJson) {
        int start = messageJson.indexOf(ROOM_FIELD);
        if (start < 0) {
            return null;
        }
        start += ROOM_FIELD.length();
        int end = messageJson.indexOf('"', start);
        return end < 0 ? null : messageJson.substring(start, end);
    }

    private static final String ROOM_FIELD = "\"room\":\"";
}
