package chat.node.chat;

import chat.node.fanout.RoomMembers;
import chat.node.fanout.Roster;
import chat.node.history.ArchivedRooms;
import chat.node.telemetry.NodeMetrics;

import java.util.Locale;
import java.util.Optional;

/**
 * The node's one rule of who may use a room (PROTOCOL.md §4): anyone a public room, its two users a direct
 * conversation, the members a private room or group. Joins, history over the socket and over HTTP, member listings
 * and whatever else reads a room go through {@link #check}; public and direct rooms cost no lookup. Once in a room a
 * socket stays until it leaves or its user is removed, which takes it out at once on every node ({@link Removals}),
 * so sending and typing need no lookup either. A room that Redis lost is put back from the archive.
 */
public final class RoomAccess {
    private static final System.Logger LOG = System.getLogger(RoomAccess.class.getName());

    private final RoomMembers members;
    private final ArchivedRooms archive;
    private final NodeMetrics metrics;

    /**
     * @param members where the nodes keep the members (Redis)
     * @param archive the durable record, or null when the node has no database: a room Redis lost is then gone
     */
    public RoomAccess(RoomMembers members, ArchivedRooms archive, NodeMetrics metrics) {
        this.members = members;
        this.archive = archive;
        this.metrics = metrics;
    }

    /**
     * Refuses {@code user} the room unless they may use it.
     *
     * @throws ChatException {@code bad_request} for a name that is no room, {@code forbidden} for a room of others,
     *                       {@code not_found} for a private room or group that does not exist
     */
    public void check(String user, String room) {
        if (Names.isPublicRoom(room)) {
            return;
        }
        if (Names.isMembersOnly(room)) {
            checkMember(user, room);
            return;
        }
        String[] pair = Names.directMembers(room);
        if (pair == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + room + "' is not a valid room name");
        }
        if (!pair[0].equals(user) && !pair[1].equals(user)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only its two users may read a direct conversation");
        }
    }

    private void checkMember(String user, String room) {
        RoomMembers.Standing standing = members.standing(room, user);
        if (standing == RoomMembers.Standing.UNKNOWN_ROOM && restore(room) != null) {
            standing = members.standing(room, user);
        }
        metrics.memberCheck(standing.name().toLowerCase(Locale.ROOT));
        switch (standing) {
            case MEMBER -> {
            }
            case OUTSIDER -> throw new ChatException(ErrorCode.FORBIDDEN, "only the members of " + room
                    + " may use it");
            case UNKNOWN_ROOM -> throw notFound(room);
        }
    }

    /** The room's kind, owner and members; null when there is no such room, in Redis or in the archive. */
    public Roster roster(String room) {
        Roster roster = members.roster(room);
        return roster != null ? roster : restore(room);
    }

    static ChatException notFound(String room) {
        return new ChatException(ErrorCode.NOT_FOUND, "there is no room " + room);
    }

    /**
     * Puts a room that Redis does not hold back from the archive (Redis lost its data), unless the archive has none
     * either; returns it as Redis holds it then.
     */
    private Roster restore(String room) {
        if (archive == null) {
            return null;
        }
        Optional<Roster> archived;
        try {
            archived = archive.room(room);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the members of " + room + " from the archive failed: "
                    + e.getMessage());
            throw new ChatException(ErrorCode.UNAVAILABLE, "the room's members cannot be read now, retry", e);
        }
        if (archived.isEmpty()) {
            return null;
        }
        if (members.restore(archived.get())) {
            metrics.membersRestored();
            LOG.log(System.Logger.Level.INFO, "Redis did not hold room " + room + "; its " + archived.get().members()
                    .size() + " members are back from the archive");
        }
        return members.roster(room);
    }
}
