package chat.node.chat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every chat event of PROTOCOL.md §3, §5 and §6 by its wire name: which ones a client may send, and which ones
 * travel over the bus to be fanned out to sockets.
 */
public enum ChatEvent {
    JOIN(true, false),
    LEAVE(true, false),
    MESSAGE(true, true),
    DM(true, true),
    HISTORY(true, false),
    TYPING(true, true),
    REFRESH(true, false),
    WHO(true, false),
    ONLINE(true, false),
    READ(true, true),
    CREATE_ROOM(true, false),
    CREATE_GROUP(true, false),
    ADD_MEMBER(true, false),
    REMOVE_MEMBER(true, false),
    MEMBERS(true, false),
    EDIT(true, false),
    DELETE(true, false),
    MESSAGE_EDITED(false, true),
    MESSAGE_DELETED(false, true),
    PRESENCE(false, true),
    ANNOUNCE(false, true),
    SESSION_EXPIRED(false, false),
    /** To an added member's sockets, on their user channel. */
    ADDED(false, true),
    /** To a removed member's sockets, on their user channel, once they have left the room. */
    REMOVED(false, true),
    /** To the room's other sockets when a member is added or removed, on the room's channel. */
    MEMBERSHIP(false, true);

    private static final Map<String, ChatEvent> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ChatEvent::wire, Function.identity()));

    private final boolean fromClient;
    private final boolean fannedOut;
    private final String wire;
    private final String wireJson;

    ChatEvent(boolean fromClient, boolean fannedOut) {
        this.fromClient = fromClient;
        this.fannedOut = fannedOut;
        this.wire = name().toLowerCase(Locale.ROOT);
        this.wireJson = "\"" + wire + "\"";
    }

    /** The event a client sent under {@code name}, or null when clients cannot send such an event. */
    public static ChatEvent sentByClient(String name) {
        ChatEvent event = BY_WIRE.get(name);
        return event != null && event.fromClient ? event : null;
    }

    /** The bus event of kind {@code kind} that sockets receive, or null when there is none. */
    public static ChatEvent fannedOut(String kind) {
        ChatEvent event = BY_WIRE.get(kind);
        return event != null && event.fannedOut ? event : null;
    }

    /** The name on the wire, as clients send and receive it. */
    public String wire() {
        return wire;
    }

    /** The name as a JSON string, ready for {@code 42["name",...]}. */
    public String wireJson() {
        return wireJson;
    }
}
