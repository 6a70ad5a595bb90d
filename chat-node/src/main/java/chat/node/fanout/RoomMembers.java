package chat.node.fanout;

import java.util.Set;

/**
 * The members of private rooms and groups on the bus's Redis, in the room's slot: what the nodes check a join, a
 * history read or a listing against, and where owners and admins change it. A change publishes a {@code membership}
 * frame on the room's channel in the same script, so every node with sockets in the room acts on it in order with
 * the room's messages.
 */
public interface RoomMembers {

    /**
     * Creates the room with its first members unless a room of that name exists.
     *
     * @return whether this call created it, and the room as it is now
     */
    Creation create(String room, String kind, String owner, Set<String> members, long createdMillis);

    /**
     * Adds or removes a member of a private room, if {@code actor} is its owner or an admin, and publishes
     * {@code frame} on the room's channel when the members changed.
     */
    Change change(String room, String user, boolean add, String actor, boolean admin, BusFrame frame);

    /** The room's kind, owner, version and members; null when this Redis does not hold the room. */
    Roster roster(String room);

    /** Whether the user is a member, with one round trip for a member. */
    Standing standing(String room, String user);

    /**
     * Puts back a room that this Redis lost, from the archive, with a version above every one it had.
     *
     * @return false when the room exists here already (another node restored it first)
     */
    boolean restore(Roster roster);

    /** A user's standing in a room. */
    enum Standing {
        MEMBER, OUTSIDER, UNKNOWN_ROOM
    }

    /**
     * The outcome of a {@link #create}.
     *
     * @param created whether the room is new
     * @param roster  the room now; only its kind, owner, created and version when it existed before
     */
    record Creation(boolean created, Roster roster) {
    }

    /**
     * The outcome of a {@link #change}.
     *
     * @param outcome what the script decided
     * @param changed whether the members changed (false when the user already was, or was not, a member)
     * @param version the room's membership version now
     * @param owner   the room's owner
     */
    record Change(Outcome outcome, boolean changed, long version, String owner) {
    }

    /** What a change script decided. */
    enum Outcome {
        /** Done, or nothing to do. */
        DONE,
        /** This Redis does not hold the room. */
        UNKNOWN_ROOM,
        /** A group: its members are fixed. */
        FIXED,
        /** The actor is neither the owner nor an admin. */
        NOT_OWNER,
        /** The owner cannot be removed. */
        OWNER
    }
}
