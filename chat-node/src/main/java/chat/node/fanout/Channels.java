package chat.node.fanout;

/**
 * Redis key and channel names. Every key and channel of a room carries the room in a hash tag, so that on a Redis
 * Cluster they share one slot: the publish script touches them all at once, and a room's events go through the one
 * shard that owns it. A user's channel and a node's keys are tagged by the user and the node the same way.
 */
public final class Channels {
    public static final String BROADCAST = "chat:broadcast";
    private static final String ROOM = "chat:room:";
    private static final String USER = "chat:user:";

    private Channels() {
    }

    /** Channel of a room's events; a node subscribes while it has a member of the room. */
    public static String room(String room) {
        return ROOM + "{" + room + "}";
    }

    /** Personal channel of a user, for direct messages; subscribed while the user has a socket on the node. */
    public static String user(String user) {
        return USER + "{" + user + "}";
    }

    public static boolean isRoom(String channel) {
        return channel.startsWith(ROOM);
    }

    public static boolean isUser(String channel) {
        return channel.startsWith(USER);
    }

    /** The room or user a room or user channel names. */
    public static String subject(String channel) {
        return channel.substring(channel.indexOf('{') + 1, channel.length() - 1);
    }

    /** The key whose slot a room's or user's channel shares: the hash tag alone. */
    static String slotKey(String channel) {
        int open = channel.indexOf('{');
        return open < 0 ? channel : channel.substring(open);
    }

    static String seqKey(String room) {
        return "chat:{" + room + "}:seq";
    }

    static String baseKey(String room) {
        return "chat:{" + room + "}:base";
    }

    static String recentKey(String room) {
        return "chat:{" + room + "}:recent";
    }

    /** On which nodes a user is in a room, and with how many sockets on each: node id to count. */
    static String userNodesKey(String room, String user) {
        return "chat:{" + room + "}:online:" + user;
    }

    /** The users present in a room, all with score 0 so that they page by name. */
    static String onlineKey(String room) {
        return "chat:{" + room + "}:online";
    }

    /** The sockets of each present user of a room, summed over the nodes: user id to count. */
    static String onlineSocketsKey(String room) {
        return "chat:{" + room + "}:online-sockets";
    }

    /**
     * A user's read markers, room to seq, in the slot of the user's channel, so that the script that raises one
     * publishes it there atomically.
     */
    static String readKey(String user) {
        return USER + "{" + user + "}:read";
    }

    /** A private room's or group's kind, owner, creation time and membership version (a hash). */
    static String roomKey(String room) {
        return "chat:{" + room + "}:room";
    }

    /** A private room's or group's members (a set); in the room's slot, so one script checks and changes both. */
    static String membersKey(String room) {
        return "chat:{" + room + "}:members";
    }

    /** Every node that announced itself alive and has not been swept or retired. */
    static final String NODES = "chat:nodes";

    /** Exists while the node renews it: its expiry is how the other nodes learn that a node crashed. */
    static String aliveKey(String node) {
        return "chat:node:{" + node + "}:alive";
    }

    /** Which (room, user) presence entries carry the node, so that they can be swept when it is gone. */
    static String nodePresenceKey(String node) {
        return "chat:node:{" + node + "}:presence";
    }

    /** A dropped socket's session, for connection state recovery; in the user's slot. */
    static String sessionKey(String user, String pid) {
        return "chat:recovery:{" + user + "}:" + pid;
    }

    /** In the room's slot, so that the publish script can check it: a resend goes to the room the first send did. */
    static String dedupeKey(String room, String user, String cid) {
        return "chat:{" + room + "}:cid:" + user + ":" + cid;
    }

    /** The room's edited and deleted messages as they now stand, by message seq (publish-change.lua). */
    static String versionsKey(String room) {
        return "chat:{" + room + "}:versions";
    }

    /** The room's changed messages scored by their latest change's seq: which versions are the newest to keep. */
    static String changedKey(String room) {
        return "chat:{" + room + "}:changed";
    }

    /** An editor's cid, in the room's slot like a sender's, apart from them: a change is not a message. */
    static String changeDedupeKey(String room, String user, String cid) {
        return "chat:{" + room + "}:change-cid:" + user + ":" + cid;
    }
}
