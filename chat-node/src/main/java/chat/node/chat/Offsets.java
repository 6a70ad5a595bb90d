package chat.node.chat;

import chat.node.socketio.SocketIoCodec;

/**
 * The offset of Socket.IO's connection state recovery: the last argument of a {@code message} or {@code dm} event,
 * or of a {@code message_edited} or {@code message_deleted} one (a change has a seq of the room's, as a message has),
 * a string that socket.io-client keeps from the last event it handled and sends back in the CONNECT of its
 * reconnection. Here it names the message or change, {@code <room>:<seq>}, so one packet serves every socket of a
 * node, and the {@link DeliveryLog} of a socket finds the entry the client read last among those it was sent.
 */
public final class Offsets {
    private static final String EVENT_END = "\"]";

    private final boolean appended;

    /** @param appended whether events carry an offset: recovery is on */
    public Offsets(boolean appended) {
        this.appended = appended;
    }

    /** The packet of a room's {@code message}, a {@code dm} or a change of one, with the offset when they carry one. */
    String event(ChatEvent event, String room, long seq, String messageJson) {
        if (!appended || room == null || seq <= 0 || !carriesOffset(event)) {
            return SocketIoCodec.event(event.wireJson(), messageJson);
        }
        // Room names and user ids need no escaping in a JSON string (PROTOCOL.md §3-4).
        return SocketIoCodec.event(event.wireJson(), messageJson, "\"" + of(room, seq) + "\"");
    }

    private static boolean carriesOffset(ChatEvent event) {
        return event == ChatEvent.MESSAGE || event == ChatEvent.DM || event == ChatEvent.MESSAGE_EDITED
                || event == ChatEvent.MESSAGE_DELETED;
    }

    static String of(String room, long seq) {
        return room + ":" + seq;
    }

    /**
     * The offset an event packet ends with, read without parsing: a payload object ends with {@code }}, so only an
     * appended offset makes the packet end with a quote. Null when it has none.
     */
    static String trailing(String packet) {
        if (!packet.startsWith("42[") || !packet.endsWith(EVENT_END)) {
            return null;
        }
        int open = packet.lastIndexOf('"', packet.length() - EVENT_END.length() - 1);
        return open < 0 || packet.charAt(open - 1) != ',' ? null
                : packet.substring(open + 1, packet.length() - EVENT_END.length());
    }

    /** Whether {@code packet} ends with the offset {@code room:seq}, as {@link #trailing} would read it; reads in place. */
    static boolean carries(String packet, String room, long seq) {
        int end = packet.length() - EVENT_END.length();
        if (seq <= 0 || end < 0 || !packet.startsWith("42[") || !packet.startsWith(EVENT_END, end)) {
            return false;
        }
        for (long rest = seq; rest > 0; rest /= 10) {
            if (--end < 0 || packet.charAt(end) != (char) ('0' + rest % 10)) {
                return false;
            }
        }
        end -= room.length() + 1;
        return end >= 2 && packet.charAt(end + room.length()) == ':' && packet.startsWith(room, end)
                && packet.charAt(end - 1) == '"' && packet.charAt(end - 2) == ',';
    }

    /** The room of an offset this node made. */
    static String room(String offset) {
        return offset.substring(0, offset.lastIndexOf(':'));
    }

    /** The seq of an offset this node made. */
    static long seq(String offset) {
        return Long.parseLong(offset, offset.lastIndexOf(':') + 1, offset.length(), 10);
    }
}
