package chat.node.chat;

import chat.common.JsonCodec;
import chat.node.fanout.BusFrame;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the {@code presence} events (PROTOCOL.md §6) that the bus publishes when a user joins or leaves. */
public final class Presence {
    private final JsonCodec codec;

    public Presence(JsonCodec codec) {
        this.codec = codec;
    }

    /** {@code what} is {@code join} or {@code leave}. */
    BusFrame frame(String room, String user, String what) {
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("room", room);
        payload.put("user", user);
        payload.put("event", what);
        return new BusFrame(ChatEvent.PRESENCE.wire(), 0, System.currentTimeMillis(), null, user,
                codec.write(payload));
    }
}
