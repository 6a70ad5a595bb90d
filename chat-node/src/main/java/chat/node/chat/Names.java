package chat.node.chat;

import java.util.regex.Pattern;

/**
 * Rules for user ids and room names (PROTOCOL.md §3-4), and the direct-conversation room of two users.
 */
public final class Names {
    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Pattern PUBLIC_ROOM = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    private static final String DM_PREFIX = "dm:";

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
