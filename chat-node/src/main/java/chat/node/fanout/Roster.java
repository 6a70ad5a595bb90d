package chat.node.fanout;

import java.util.Objects;
import java.util.Set;

/**
 * Who belongs to a private room or group, as Redis (or, after Redis lost it, the archive) holds it.
 *
 * @param room    {@code p:<name>} or {@code g:<id>}
 * @param kind    {@code private} or {@code group}
 * @param owner   the owner of a private room; null for a group
 * @param created epoch milliseconds of its creation
 * @param version the membership version, raised by every change
 * @param members the user ids
 */
public record Roster(String room, String kind, String owner, long created, long version, Set<String> members) {
    public Roster {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(kind, "kind");
        members = Set.copyOf(members);
    }
}
