package chat.common;

import java.util.Objects;

/**
 * A chat message as clients see it (PROTOCOL.md §4) and as it travels through Redis and Kafka.
 *
 * @param id   unique id (a UUIDv7, so ids sort by creation time)
 * @param room public room name or {@code dm:<x>:<y>}
 * @param seq  position in its room, assigned by the cluster, strictly increasing
 * @param from sender's user id
 * @param text message text
 * @param ts   epoch milliseconds at the node that accepted it
 * @param cid  the sender's client message id, or null
 */
public record ChatMessage(String id, String room, long seq, String from, String text, long ts, String cid) {
    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
    }

    /** The same message with the sequence number the cluster assigned. */
    public ChatMessage withSeq(long assigned) {
        return new ChatMessage(id, room, assigned, from, text, ts, cid);
    }
}
