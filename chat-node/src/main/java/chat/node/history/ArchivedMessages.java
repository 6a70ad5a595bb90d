package chat.node.history;

import java.util.List;

/**
 * Read access to the archive in PostgreSQL, as message JSON in client form.
 */
public interface ArchivedMessages {
    /** Messages with {@code seq > after}, ascending, at most {@code limit}. */
    List<Entry> after(String room, long after, int limit);

    /** Messages with {@code seq < before} (all when null), the newest {@code limit} of them, ascending. */
    List<Entry> before(String room, Long before, int limit);

    /** How many messages have {@code after < seq <= upTo}, counted up to {@code limit} at most. */
    long count(String room, long after, long upTo, int limit);

    /**
     * One archived message.
     *
     * @param seq  sequence number
     * @param json client form
     */
    record Entry(long seq, String json) {
    }
}
