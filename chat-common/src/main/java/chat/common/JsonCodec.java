package chat.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON codec of the system: messages, archive records, connection events, read markers and room changes to and from
 * their wire form. Field names are PROTOCOL.md's.
 */
public final class JsonCodec {
    private final ObjectMapper mapper;

    /**
     * A codec whose parsers and generators borrow their buffers from one pool shared by all threads. Jackson's
     * default keeps them per thread, and a node has a virtual thread per socket: each would keep its own buffers
     * (some 20 KiB) for as long as its socket is open.
     */
    public JsonCodec() {
        this(new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build()));
    }

    public JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The message as clients receive it. */
    public String encode(ChatMessage message) {
        return write(messageNode(message));
    }

    public ObjectNode messageNode(ChatMessage message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", message.id());
        node.put("room", message.room());
        node.put("seq", message.seq());
        node.put("from", message.from());
        node.put("text", message.text());
        node.put("ts", message.ts());
        if (message.cid() == null) {
            node.putNull("cid");
        } else {
            node.put("cid", message.cid());
        }
        return node;
    }

    /** Reads a message in client form; throws {@link MalformedRecordException} naming what is wrong. */
    public ChatMessage decodeMessage(String json) {
        return messageFrom(read(json));
    }

    public ChatMessage messageFrom(JsonNode node) {
        return new ChatMessage(
                requiredText(node, "id"),
                requiredText(node, "room"),
                requiredLong(node, "seq"),
                requiredText(node, "from"),
                requiredText(node, "text"),
                requiredLong(node, "ts"),
                optionalText(node, "cid"));
    }

    public String encode(ArchiveRecord record) {
        ObjectNode node = messageNode(record.message());
        if (record.senderName() != null) {
            node.put("name", record.senderName());
        }
        return write(node);
    }

    public ArchiveRecord decodeArchiveRecord(String json) {
        return archiveRecordFrom(read(json));
    }

    public ArchiveRecord archiveRecordFrom(JsonNode node) {
        return new ArchiveRecord(messageFrom(node), optionalText(node, "name"));
    }

    /**
     * The message as clients see it after {@code change}: the edit's text with an {@code edited} mark, or a
     * tombstone (no text, a {@code deleted} mark). The mark, {@code {"seq","ts","by"}}, is the last field, and
     * {@code seq} is its first.
     */
    public ObjectNode changedNode(MessageChange change) {
        ObjectNode node = messageNode(change.message());
        node.put("text", change.currentText());
        ObjectNode mark = node.putObject(changeMark(change.kind()));
        mark.put("seq", change.seq());
        mark.put("ts", change.ts());
        mark.put("by", change.by());
        return node;
    }

    /** The field of a changed message that says how it changed: {@code edited} or {@code deleted}. */
    public static String changeMark(MessageChange.Kind kind) {
        return kind == MessageChange.Kind.EDIT ? "edited" : "deleted";
    }

    /**
     * Reads a changed message in client form. Its {@code message} has the current text, since the client form
     * does not carry the text as first sent.
     */
    public MessageChange decodeChanged(String json) {
        JsonNode node = read(json);
        MessageChange.Kind kind = node.has("deleted") ? MessageChange.Kind.DELETE : MessageChange.Kind.EDIT;
        JsonNode mark = node.get(changeMark(kind));
        if (mark == null || !mark.isObject()) {
            throw new MalformedRecordException("a changed message needs an 'edited' or a 'deleted' object");
        }
        ChatMessage message = messageFrom(node);
        return new MessageChange(kind, message, requiredLong(mark, "seq"), requiredLong(mark, "ts"),
                requiredText(mark, "by"), kind == MessageChange.Kind.EDIT ? message.text() : null);
    }

    /** A change as the {@code chat.messages} topic carries it: typed apart from messages by its {@code change}. */
    public String encode(MessageChange change) {
        ObjectNode node = mapper.createObjectNode();
        node.put("change", change.kind().wire());
        node.put("seq", change.seq());
        node.put("ts", change.ts());
        node.put("by", change.by());
        if (change.text() != null) {
            node.put("text", change.text());
        }
        node.set("message", messageNode(change.message()));
        return write(node);
    }

    /** Whether a record of the {@code chat.messages} topic is a change rather than a message. */
    public static boolean isChange(JsonNode node) {
        return node.has("change");
    }

    public MessageChange changeFrom(JsonNode node) {
        String kind = requiredText(node, "change");
        MessageChange.Kind parsed;
        try {
            parsed = MessageChange.Kind.fromWire(kind);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown change '" + kind + "'");
        }
        JsonNode message = node.get("message");
        if (message == null || !message.isObject()) {
            throw new MalformedRecordException("field 'message' must be an object");
        }
        String text = optionalText(node, "text");
        if ((parsed == MessageChange.Kind.EDIT) != (text != null)) {
            throw new MalformedRecordException("an edit needs a 'text' and a deletion has none");
        }
        return new MessageChange(parsed, messageFrom(message), requiredLong(node, "seq"), requiredLong(node, "ts"),
                requiredText(node, "by"), text);
    }

    /** An erasure as the {@code chat.messages} topic carries it: typed apart by its {@code erase}. */
    public String encode(UserErasure erasure) {
        ObjectNode node = mapper.createObjectNode();
        node.put("erase", erasure.user());
        node.put("by", erasure.by());
        node.put("ts", erasure.ts());
        return write(node);
    }

    /** Whether a record of the {@code chat.messages} topic is a user's erasure. */
    public static boolean isErasure(JsonNode node) {
        return node.has("erase");
    }

    public UserErasure erasureFrom(JsonNode node) {
        return new UserErasure(requiredText(node, "erase"), requiredText(node, "by"), requiredLong(node, "ts"));
    }

    public String encode(ConnectionEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", event.type().wire());
        node.put("user", event.user());
        node.put("name", event.name());
        node.put("room", event.room());
        node.put("node", event.node());
        node.put("socket", event.socket());
        node.put("ts", event.ts());
        return write(node);
    }

    public ConnectionEvent decodeConnectionEvent(String json) {
        return connectionEventFrom(read(json));
    }

    public ConnectionEvent connectionEventFrom(JsonNode node) {
        String type = requiredText(node, "type");
        ConnectionEvent.Type parsed;
        try {
            parsed = ConnectionEvent.Type.fromWire(type);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown connection event type '" + type + "'");
        }
        return new ConnectionEvent(parsed,
                requiredText(node, "user"),
                optionalText(node, "name"),
                optionalText(node, "room"),
                requiredText(node, "node"),
                requiredText(node, "socket"),
                requiredLong(node, "ts"));
    }

    /** A read marker as the {@code chat.events} topic carries it, typed apart from the connection log. */
    public String encode(ReadMarker marker) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", ReadMarker.TYPE);
        node.put("user", marker.user());
        node.put("room", marker.room());
        node.put("seq", marker.seq());
        node.put("ts", marker.ts());
        return write(node);
    }

    public ReadMarker decodeReadMarker(String json) {
        return readMarkerFrom(read(json));
    }

    public ReadMarker readMarkerFrom(JsonNode node) {
        return new ReadMarker(
                requiredText(node, "user"),
                requiredText(node, "room"),
                requiredLong(node, "seq"),
                requiredLong(node, "ts"));
    }

    /** Whether a record of the {@code chat.events} topic is a read marker rather than a connection-log entry. */
    public static boolean isReadMarker(JsonNode node) {
        return ReadMarker.TYPE.equals(node.path("type").asText(null));
    }

    public String encode(RoomChange change) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", RoomChange.TYPE);
        node.put("change", change.change().wire());
        node.put("room", change.room());
        node.put("kind", change.kind());
        node.put("owner", change.owner());
        change.users().forEach(node.putArray("users")::add);
        node.put("by", change.by());
        node.put("version", change.version());
        node.put("ts", change.ts());
        return write(node);
    }

    /** Whether a record of {@code chat.events} is a {@link RoomChange} rather than a {@link ConnectionEvent}. */
    public static boolean isRoomChange(JsonNode node) {
        return RoomChange.TYPE.equals(node.path("type").asText(null));
    }

    public RoomChange decodeRoomChange(String json) {
        return roomChangeFrom(read(json));
    }

    public RoomChange roomChangeFrom(JsonNode node) {
        String change = requiredText(node, "change");
        RoomChange.Change parsed;
        try {
            parsed = RoomChange.Change.fromWire(change);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown room change '" + change + "'");
        }
        JsonNode users = node.get("users");
        if (users == null || !users.isArray()) {
            throw new MalformedRecordException("field 'users' must be an array");
        }
        List<String> ids = new ArrayList<>(users.size());
        for (JsonNode user : users) {
            if (!user.isTextual()) {
                throw new MalformedRecordException("field 'users' must hold strings");
            }
            ids.add(user.asText());
        }
        return new RoomChange(parsed,
                requiredText(node, "room"),
                requiredText(node, "kind"),
                optionalText(node, "owner"),
                ids,
                requiredText(node, "by"),
                requiredLong(node, "version"),
                requiredLong(node, "ts"));
    }

    public JsonNode read(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new MalformedRecordException("not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("invalid JSON: " + e.getOriginalMessage());
        }
    }

    public String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedRecordException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedRecordException("field '" + field + "' must be a string or null");
        }
        return value.asText();
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new MalformedRecordException("field '" + field + "' must be an integer");
        }
        return value.asLong();
    }
}
