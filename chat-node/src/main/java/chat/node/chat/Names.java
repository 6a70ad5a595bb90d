package chat.node.chat;

import java.util.regex.Pattern;

/**
 * Rules for user ids and room names (PROTOCOL.md §3-4): public rooms, direct conversations ({@code dm:}), private
 * rooms ({@code p:}) and groups ({@code g:}).
 */
public final class Names {
    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Pattern PUBLIC_ROOM = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    private static final String DM_PREFIX = "dm:";
    private static final String PRIVATE_PREFIX = "p:";
    private static final String GROUP_PREFIX = "g:";
    private static final Pattern GROUP_ID = Pattern.compile("^[a-z0-9]{1,64}$");

    private Names() {
    }

    public static boolean isUser(String id) {
        return id != null && USER.matcher(id).matches();
    }

    public static boolean isPublicRoom(String room) {
        return room != null && PUBLIC_ROOM.matcher(room).matches();
    }

    public static boolean isDirectRoom(String room) {
        return room != null && room.startsWith(DM_PREFIX) && directMembers(room) != null;
    }

    /** A private room, {@code p:<name>} with a public room's name: it has an owner, who adds and removes members. */
    public static boolean isPrivateRoom(String room) {
        return room != null && room.startsWith(PRIVATE_PREFIX)
                && PUBLIC_ROOM.matcher(room.substring(PRIVATE_PREFIX.length())).matches();
    }

    /** A group conversation, {@code g:<id>} with an id the node chose: a fixed set of members and no owner. */
    public static boolean isGroupRoom(String room) {
        return room != null && room.startsWith(GROUP_PREFIX)
                && GROUP_ID.matcher(room.substring(GROUP_PREFIX.length())).matches();
    }

    /** A room only its members may use: a private room or a group. Public and direct rooms need no lookup. */
    public static boolean isMembersOnly(String room) {
        return isPrivateRoom(room) || isGroupRoom(room);
    }

    /** The room of the group with this id. */
    public static String groupRoom(String id) {
        return GROUP_PREFIX + id;
    }

    /** The room {@code dm:<x>:<y>} of users {@code a} and {@code b}, with x and y sorted. */
    public static String directRoom(String a, String b) {
        return a.compareTo(b) <= 0 ? DM_PREFIX + a + ":" + b : DM_PREFIX + b + ":" + a;
    }

    /** The two users of a direct room, or null when the name is not a well-formed direct room. */
    public static String[] directMembers(String room) {
        if (room == null || !room.startsWith(DM_PREFIX)) {
            return null;
        }
        String[] parts = room.substring(DM_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !isUser(parts[0]) || !isUser(parts[1]) || parts[0].compareTo(parts[1]) > 0) {
            return null;
        }
        return parts;
    }
}
