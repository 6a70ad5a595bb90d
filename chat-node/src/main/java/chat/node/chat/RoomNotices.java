package chat.node.chat;

import chat.common.JsonCodec;
import chat.node.fanout.BusFrame;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the events (PROTOCOL.md §6) that tell of a change to a room's members: {@code membership} to the room's
 * other sockets, {@code added} and {@code removed} to the sockets of the user concerned.
 */
final class RoomNotices {
    private final JsonCodec codec;

    RoomNotices(JsonCodec codec) {
        this.codec = codec;
    }

    /** {@code membership}, for the room's channel; every node takes a removed user's sockets out before passing it. */
    BusFrame membership(String room, String user, boolean added, String actor) {
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("room", room);
        payload.put("user", user);
        payload.put("event", added ? "added" : "removed");
        payload.put("by", actor);
        return new BusFrame(ChatEvent.MEMBERSHIP.wire(), 0, System.currentTimeMillis(), null, user,
                codec.write(payload));
    }

    /** {@code added}, for the user's channel. */
    BusFrame added(String room, String kind, String actor) {
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("room", room);
        payload.put("kind", kind);
        payload.put("by", actor);
        return new BusFrame(ChatEvent.ADDED.wire(), 0, System.currentTimeMillis(), null, null, codec.write(payload));
    }

    /** {@code removed}, for the user's channel, or for a socket directly; {@code actor} is null when unknown. */
    String removedPayload(String room, String actor) {
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("room", room);
        payload.put("by", actor);
        return codec.write(payload);
    }

    BusFrame removed(String room, String actor) {
        return new BusFrame(ChatEvent.REMOVED.wire(), 0, System.currentTimeMillis(), null, null,
                removedPayload(room, actor));
    }
}
