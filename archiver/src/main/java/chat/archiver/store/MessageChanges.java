package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.MessageChange;

/**
 * Writes edits and deletions: one {@code message_edits} row per change, and the changed message's row brought to its
 * latest state, in the batch's transaction.
 *
 * <p>A change is identified by (room, seq) like a message, so a change produced twice or replayed after a crash
 * is stored and applied once. A change can reach the archive before its message (the two come from different
 * sends, possibly from different nodes), so it carries its message and inserts it when the archive lacks it; the
 * message's own record then finds it there and adds nothing. An edit applies only over an older change, and
 * nothing applies over a deletion, so changes that arrive out of order still leave the latest state.
 */
final class MessageChanges {

    private static final String EPOCH_MS = "timestamptz 'epoch' + %s * interval '1 millisecond'";

    private static final String RECORD = """
            INSERT INTO message_edits (room, seq, message_id, message_seq, message_sent_at, kind, body, changed_by,
                                       changed_at)
            SELECT room, seq, message_id, message_seq, %s, kind, body, changed_by, %s
            FROM unnest(?::text[], ?::bigint[], ?::uuid[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                        ?::bigint[]) AS c(room, seq, message_id, message_seq, sent_ms, kind, body, changed_by, ms)
            ON CONFLICT (room, seq) DO NOTHING
            RETURNING room, seq""".formatted(EPOCH_MS.formatted("sent_ms"), EPOCH_MS.formatted("ms"));

    /** The latest of the batch's new edits of each message, over an older state only. */
    private static final String EDIT = """
            UPDATE messages AS m
            SET edited_body = c.body, change_seq = c.seq, changed_by = c.changed_by, changed_at = %s
            FROM (SELECT DISTINCT ON (id) id, sent_ms, seq, body, changed_by, ms
                  FROM unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[])
                      AS x(id, sent_ms, seq, body, changed_by, ms)
                  ORDER BY id, seq DESC) AS c
            WHERE m.id = c.id AND m.sent_at = %s AND NOT m.deleted
              AND (m.change_seq IS NULL OR m.change_seq < c.seq)""".formatted(EPOCH_MS.formatted("c.ms"),
            EPOCH_MS.formatted("c.sent_ms"));

    /** A deletion empties the row whatever came before; the cid goes too, as the client's own words. */
    private static final String DELETE = """
            UPDATE messages AS m
            SET body = '', edited_body = NULL, cid = NULL, deleted = true, change_seq = c.seq,
                changed_by = c.changed_by, changed_at = %s
            FROM (SELECT DISTINCT ON (id) id, sent_ms, seq, changed_by, ms
                  FROM unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[])
                      AS x(id, sent_ms, seq, changed_by, ms)
                  ORDER BY id, seq) AS c
            WHERE m.id = c.id AND m.sent_at = %s AND NOT m.deleted""".formatted(EPOCH_MS.formatted("c.ms"),
            EPOCH_MS.formatted("c.sent_ms"));

    /** The edit history of a deleted message keeps who and when, not what. */
    private static final String ERASE_HISTORY = """
            UPDATE message_edits AS e SET body = NULL
            WHERE e.message_id = ANY (?::uuid[]) AND e.body IS NOT NULL
              AND EXISTS (SELECT 1 FROM message_edits AS d WHERE d.message_id = e.message_id AND d.kind = 'delete')""";

    private MessageChanges() {
    }

    /** Writes the changes in the caller's transaction; returns how many were new to the archive. */
    static int apply(Connection connection, List<Consumed.Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return 0;
        }
        MessageTable.insertMissing(connection, carriedMessages(changes));
        List<Consumed.Change> fresh = record(connection, changes);
        List<Consumed.Change> edits = new ArrayList<>();
        List<Consumed.Change> deletions = new ArrayList<>();
        for (Consumed.Change change : fresh) {
            (change.change().kind() == MessageChange.Kind.EDIT ? edits : deletions).add(change);
        }
        applyEdits(connection, edits);
        applyDeletions(connection, deletions);
        eraseHistories(connection, fresh);
        return fresh.size();
    }

    /** The messages the changes bring along, once each: an edit's with its text, as first sent. */
    private static List<Consumed.Message> carriedMessages(List<Consumed.Change> changes) {
        Map<UUID, Consumed.Message> carried = new LinkedHashMap<>();
        for (Consumed.Change change : changes) {
            Consumed.Message message = new Consumed.Message(change.source(), change.offset(),
                    new ArchiveRecord(change.change().message(), null), change.messageId());
            if (change.change().kind() == MessageChange.Kind.EDIT) {
                carried.put(change.messageId(), message);
            } else {
                carried.putIfAbsent(change.messageId(), message);
            }
        }
        return List.copyOf(carried.values());
    }

    /** Inserts the changes into {@code message_edits}; returns those it did not hold, each once. */
    private static List<Consumed.Change> record(Connection connection, List<Consumed.Change> changes)
            throws SQLException {
        int size = changes.size();
        String[] rooms = new String[size];
        long[] seqs = new long[size];
        String[] ids = new String[size];
        long[] messageSeqs = new long[size];
        long[] sent = new long[size];
        String[] kinds = new String[size];
        String[] bodies = new String[size];
        String[] by = new String[size];
        long[] at = new long[size];
        for (int i = 0; i < size; i++) {
            MessageChange change = changes.get(i).change();
            ChatMessage message = change.message();
            rooms[i] = message.room();
            seqs[i] = change.seq();
            ids[i] = changes.get(i).messageId().toString();
            messageSeqs[i] = message.seq();
            sent[i] = message.ts();
            kinds[i] = change.kind().wire();
            bodies[i] = change.text();
            by[i] = change.by();
            at[i] = change.ts();
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            Object[] columns = {rooms, seqs, ids, messageSeqs, sent, kinds, bodies, by, at};
            for (int i = 0; i < columns.length; i++) {
                insert.setObject(i + 1, columns[i]);
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(key(rows.getString(1), rows.getLong(2)));
                }
            }
        }
        List<Consumed.Change> fresh = new ArrayList<>(inserted.size());
        for (Consumed.Change change : changes) {
            if (inserted.remove(key(change.change().message().room(), change.change().seq()))) {
                fresh.add(change);
            }
        }
        return fresh;
    }

    private static void applyEdits(Connection connection, List<Consumed.Change> edits) throws SQLException {
        if (edits.isEmpty()) {
            return;
        }
        int size = edits.size();
        String[] ids = new String[size];
        long[] sent = new long[size];
        long[] seqs = new long[size];
        String[] bodies = new String[size];
        String[] by = new String[size];
        long[] at = new long[size];
        for (int i = 0; i < size; i++) {
            MessageChange change = edits.get(i).change();
            ids[i] = edits.get(i).messageId().toString();
            sent[i] = change.message().ts();
            seqs[i] = change.seq();
            bodies[i] = change.text();
            by[i] = change.by();
            at[i] = change.ts();
        }
        execute(connection, EDIT, ids, sent, seqs, bodies, by, at);
    }

    private static void applyDeletions(Connection connection, List<Consumed.Change> deletions) throws SQLException {
        if (deletions.isEmpty()) {
            return;
        }
        int size = deletions.size();
        String[] ids = new String[size];
        long[] sent = new long[size];
        long[] seqs = new long[size];
        String[] by = new String[size];
        long[] at = new long[size];
        for (int i = 0; i < size; i++) {
            MessageChange change = deletions.get(i).change();
            ids[i] = deletions.get(i).messageId().toString();
            sent[i] = change.message().ts();
            seqs[i] = change.seq();
            by[i] = change.by();
            at[i] = change.ts();
        }
        execute(connection, DELETE, ids, sent, seqs, by, at);
    }

    private static void eraseHistories(Connection connection, List<Consumed.Change> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        execute(connection, ERASE_HISTORY, (Object) fresh.stream().map(change -> change.messageId().toString())
                .distinct().toArray(String[]::new));
    }

    private static void execute(Connection connection, String sql, Object... arrays) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < arrays.length; i++) {
                update.setObject(i + 1, arrays[i]);
            }
            update.executeUpdate();
        }
    }

    private static String key(String room, long seq) {
        return seq + " " + room;
    }
}
