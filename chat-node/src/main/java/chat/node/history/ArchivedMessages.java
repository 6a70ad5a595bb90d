package chat.node.history;

import chat.common.ChatMessage;

import java.util.List;

/**
 * Read access to the archive in PostgreSQL, as message JSON in client form: each message as it now stands.
 */
public interface ArchivedMessages {
    /** The room's message with this id as it now stands, or null when the archive has none. */
    FoundMessage find(String room, String id);

    /** Up to {@code limit} messages of the user that are not deleted (in no particular order), as first sent. */
    List<ChatMessage> undeletedOf(String user, int limit);

    /**
     * Messages with {@code seq > after}, and the changes with {@code seq > after} (each as its message now stands),
     * ascending by seq, at most {@code limit}.
     */
    List<Entry> after(String room, long after, int limit);

    /** Messages with {@code seq < before} (all when null), the newest {@code limit} of them, ascending. */
    List<Entry> before(String room, Long before, int limit);

    /** How many messages have {@code after < seq <= upTo}, counted up to {@code limit} at most. */
    long count(String room, long after, long upTo, int limit);

    /**
     * One archived message, or one change of a message.
     *
     * @param seq        sequence number of the message or of the change
     * @param json       client form of the message as it now stands in the archive (its latest edit, or a tombstone)
     * @param messageSeq the message's seq: {@code seq} itself for a message, the changed one's for a change
     * @param changeSeq  the seq of the message's latest change in the archive, 0 when it has none
     */
    record Entry(long seq, String json, long messageSeq, long changeSeq) {
        public Entry(long seq, String json) {
            this(seq, json, seq, 0);
        }

        public boolean isChange() {
            return seq != messageSeq;
        }
    }
}
