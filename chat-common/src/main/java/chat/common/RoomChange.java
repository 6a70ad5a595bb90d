package chat.common;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A change to the membership of a private room or group, produced to the {@code chat.events} Kafka topic (key =
 * room) before its sender gets the ack, so that PostgreSQL holds every room's members durably. Changes carry the
 * room's membership version, assigned by Redis with the change, so the archive keeps the newest state of each member
 * whatever order the changes arrive in, and a change applied twice changes nothing.
 *
 * @param change  what happened
 * @param room    {@code p:<name>} or {@code g:<id>}
 * @param kind    {@code private} or {@code group}
 * @param owner   the owner of a private room; null for a group
 * @param users   the members a creation starts with, or the one member added or removed
 * @param by      the user who made the change
 * @param version the room's membership version after the change
 * @param ts      epoch milliseconds at the node that made it
 */
public record RoomChange(Change change, String room, String kind, String owner, List<String> users, String by,
                         long version, long ts) {
    /** The {@code type} of a room change on {@code chat.events}, next to the connection log's types. */
    public static final String TYPE = "room";

    public RoomChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(by, "by");
        users = List.copyOf(users);
    }

    /** Kinds of change; the lower-case name is the wire form. */
    public enum Change {
        CREATE, ADD, REMOVE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Change fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }

        /** Whether the change makes its users members (a creation or an addition) rather than removing them. */
        public boolean admits() {
            return this != REMOVE;
        }
    }
}
