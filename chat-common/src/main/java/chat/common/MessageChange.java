package chat.common;

import java.util.Locale;
import java.util.Objects;

/**
 * An edit or a deletion of a message (PROTOCOL.md §4, §5): what a chat node publishes to the room, produces to the
 * {@code chat.messages} topic and the archiver applies. A change takes the room's next sequence number, so that
 * members see it after the message and a rejoin with {@code since} finds it.
 *
 * @param kind    edit or delete
 * @param message the message as first sent; a deletion carries it without its text and cid, which it erases
 * @param seq     the change's own place in the room, assigned by the cluster (0 before that)
 * @param ts      epoch milliseconds at the node that accepted the change
 * @param by      user id of who changed it: the author, or an admin
 * @param text    the new text of an edit; null for a deletion
 */
public record MessageChange(Kind kind, ChatMessage message, long seq, long ts, String by, String text) {
    public MessageChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(by, "by");
        if ((kind == Kind.EDIT) != (text != null)) {
            throw new IllegalArgumentException("an edit has a text and a deletion has none");
        }
        if (kind == Kind.DELETE) {
            message = erased(message);
        }
    }

    /** An edit of {@code original} to {@code text}, before the cluster gives it a seq. */
    public static MessageChange edit(ChatMessage original, String by, String text, long ts) {
        return new MessageChange(Kind.EDIT, original, 0, ts, by, text);
    }

    /** The deletion of {@code original}, before the cluster gives it a seq. */
    public static MessageChange delete(ChatMessage original, String by, long ts) {
        return new MessageChange(Kind.DELETE, original, 0, ts, by, null);
    }

    /** The same change with the sequence number the cluster assigned. */
    public MessageChange withSeq(long assigned) {
        return new MessageChange(kind, message, assigned, ts, by, text);
    }

    /** The message as it stands after this change: the edit's text, or none at all. */
    public String currentText() {
        return kind == Kind.EDIT ? text : "";
    }

    private static ChatMessage erased(ChatMessage message) {
        if (message.text().isEmpty() && message.cid() == null) {
            return message;
        }
        return new ChatMessage(message.id(), message.room(), message.seq(), message.from(), "", message.ts(), null);
    }

    /** Kinds of change; the lower-case name is the wire form in archive records. */
    public enum Kind {
        EDIT, DELETE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
