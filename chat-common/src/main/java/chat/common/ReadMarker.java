package chat.common;

import java.util.Objects;

/**
 * A user's read position in a room, produced to the {@code chat.events} Kafka topic (key = user) each time a client
 * marks the room read: the messages with a {@code seq} up to it count as read. A marker only moves forward, so the
 * archive keeps the highest it has seen of each user and room, in whatever order and however often they arrive.
 *
 * @param user user id
 * @param room public room name or {@code dm:<x>:<y>}
 * @param seq  the highest seq read
 * @param ts   epoch milliseconds at the node
 */
public record ReadMarker(String user, String room, long seq, long ts) {
    /** The {@code type} of a read marker on the events topic, beside the connection log's types. */
    public static final String TYPE = "read";

    public ReadMarker {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(room, "room");
    }
}
