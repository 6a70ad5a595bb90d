package chat.node.history;

import chat.node.fanout.Roster;

import java.util.Optional;

/**
 * Read access to the private rooms and groups the archiver keeps in PostgreSQL ({@code rooms},
 * {@code room_members}): the record of who belongs where, from which a node puts a room back into Redis after Redis
 * lost it.
 */
public interface ArchivedRooms {
    /** The room with its current members, or empty when the archive has no such room. */
    Optional<Roster> room(String room);
}
