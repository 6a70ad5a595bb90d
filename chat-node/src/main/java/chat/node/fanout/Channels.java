package chat.node.fanout;

/**
 * Redis key and channel names. Room keys carry the room in a hash tag so that one room's keys share a slot.
 */
public final class Channels {
    public static final String BROADCAST = "chat:broadcast";
    private static final String ROOM = "chat:room:";
    private static final String USER = "chat:user:";

    private Channels() {
    }

    /** Channel of a room's events; a node subscribes while it has a member of the room. */
    public static String room(String room) {
        return ROOM + room;
    }

    /** Personal channel of a user, for direct messages; subscribed while the user has a socket on the node. */
    public static String user(String user) {
        return USER + user;
    }

    public static boolean isRoom(String channel) {
        return channel.startsWith(ROOM);
    }

    public static boolean isUser(String channel) {
        return channel.startsWith(USER);
    }

    /** The room or user a channel names. */
    public static String subject(String channel) {
        return channel.substring(channel.indexOf(':', 5) + 1);
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

    static String presenceKey(String room, String user) {
        return "chat:{" + room + "}:presence:" + user;
    }

    /** Every node that announced itself alive and has not been swept or retired. */
    static final String NODES = "chat:nodes";

    /** Exists while the node renews it: its expiry is how the other nodes learn that a node crashed. */
    static String aliveKey(String node) {
        return "chat:node:" + node + ":alive";
    }

    /** Which (room, user) presence entries carry the node, so that they can be swept when it is gone. */
    static String nodePresenceKey(String node) {
        return "chat:node:" + node + ":presence";
    }

    static String dedupeKey(String user, String cid) {
        return "chat:cid:" + user + ":" + cid;
    }
}
