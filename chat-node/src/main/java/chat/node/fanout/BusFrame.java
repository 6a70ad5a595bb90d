package chat.node.fanout;

import chat.common.MalformedRecordException;

/**
 * What travels on a Redis channel: a one-line head, a newline, then the JSON clients receive, so a receiving node
 * relays the body without parsing it.
 *
 * <p>Head fields, space-separated: event kind, room sequence number (0 when the event has none), epoch
 * milliseconds at the accepting node, W3C {@code traceparent} ({@code -} when absent), and a user id whose
 * sockets must not receive it ({@code -} when none).
 *
 * @param kind        client event name: message, dm, typing, presence, announce
 * @param seq         room sequence number, 0 if none
 * @param ts          epoch milliseconds at the accepting node
 * @param traceparent W3C trace context of the publishing span, or null
 * @param exclude     user whose sockets are skipped (typing, presence), or null
 * @param body        the event payload as JSON text
 */
public record BusFrame(String kind, long seq, long ts, String traceparent, String exclude, String body) {
    private static final String NONE = "-";

    /** The whole frame as published. */
    public String encode() {
        return headBeforeSeq(kind) + seq + headAfterSeq(ts, traceparent, exclude) + "\n" + body;
    }

    /** Head up to the sequence number; the message script appends the number it assigns. */
    public static String headBeforeSeq(String kind) {
        return kind + " ";
    }

    /** Head after the sequence number, up to (not including) the newline. */
    public static String headAfterSeq(long ts, String traceparent, String exclude) {
        return " " + ts + " " + orNone(traceparent) + " " + orNone(exclude);
    }

    public static BusFrame decode(String raw) {
        int newline = raw.indexOf('\n');
        if (newline < 0) {
            throw new MalformedRecordException("bus frame without head line");
        }
        String[] head = raw.substring(0, newline).split(" ", -1);
        if (head.length != 5) {
            throw new MalformedRecordException("bus frame head needs 5 fields, has " + head.length);
        }
        try {
            return new BusFrame(head[0], Long.parseLong(head[1]), Long.parseLong(head[2]), orNull(head[3]),
                    orNull(head[4]), raw.substring(newline + 1));
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("bus frame head has a bad number: " + e.getMessage());
        }
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static String orNull(String value) {
        return NONE.equals(value) ? null : value;
    }
}
