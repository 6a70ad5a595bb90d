package chat.node.chat;

import chat.node.fanout.RoomBus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code who} and {@code online} requests of PROTOCOL.md §5: who is present in a room across all nodes, a page
 * at a time, and how many are present in each room of a list. Both read what the presence events announced, so a
 * user listed is one whose arrival was announced and whose departure was not.
 */
final class WhoIsOnline {
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 100;
    /** As many rooms as a socket may be in by default, so a client can ask for all of its rooms at once. */
    private static final int MAX_ROOMS = 100;

    private final RoomBus bus;
    private final ObjectMapper json;

    WhoIsOnline(RoomBus bus, ObjectMapper json) {
        this.bus = bus;
        this.json = json;
    }

    /** A page of the room's present users; only a socket in the room may ask, as only it may write there. */
    ObjectNode who(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        String after = Payloads.optionalText(body, "after");
        if (after != null && !Names.isUser(after)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'after' must be a user id");
        }
        int limit = Payloads.limit(body, DEFAULT_PAGE, MAX_PAGE);
        if (!client.inRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "join the room to see who is in it");
        }
        RoomBus.OnlinePage page = bus.online(room, after, limit);
        ObjectNode ack = Payloads.ok(json);
        ack.put("room", room);
        ack.put("count", page.count());
        ArrayNode users = ack.putArray("users");
        for (RoomBus.Online online : page.users()) {
            users.addObject().put("user", online.user()).put("sockets", online.sockets());
        }
        if (page.more()) {
            ack.put("next", page.users().getLast().user());
        } else {
            ack.putNull("next");
        }
        return ack;
    }

    /** How many users are present in each room named; a direct conversation only for its two users. */
    ObjectNode online(Client client, ObjectNode body) {
        JsonNode rooms = body.get("rooms");
        if (rooms == null || !rooms.isArray() || rooms.size() > MAX_ROOMS) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'rooms' must be an array of at most " + MAX_ROOMS
                    + " room names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode room : rooms) {
            if (!room.isTextual()) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "'rooms' must be an array of room names");
            }
            Payloads.checkReadable(client, room.asText());
            names.add(room.asText());
        }
        Map<String, Long> counts = names.isEmpty() ? Map.of() : bus.onlineCounts(names);
        ObjectNode ack = Payloads.ok(json);
        ObjectNode byRoom = ack.putObject("counts");
        for (String room : names) {
            byRoom.put(room, counts.getOrDefault(room, 0L));
        }
        return ack;
    }
}
