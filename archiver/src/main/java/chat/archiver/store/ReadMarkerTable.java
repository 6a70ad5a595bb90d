package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import chat.common.ReadMarker;

/**
 * Raises users' read markers in the {@code read_markers} table. A marker only moves forward: a row takes a marker's
 * seq only when it is higher than the one it holds, so replays, duplicates and markers that overtook each other in
 * Kafka leave the highest one in place, and writing a batch twice has the effect of writing it once.
 */
final class ReadMarkerTable {

    /** The row of a (user, room) pair moves only up; {@code updated_at} says when it reached its seq. */
    private static final String RAISE = """
            INSERT INTO read_markers AS r (user_id, room, seq, updated_at)
            SELECT user_id, room, seq, timestamptz 'epoch' + ms * interval '1 millisecond'
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS m(user_id, room, seq, ms)
            ON CONFLICT (user_id, room) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at
            WHERE excluded.seq > r.seq""";

    /** Rows in (user, room) order, so that concurrent writers lock shared rows in one order and never deadlock. */
    private static final Comparator<ReadMarker> ROW_ORDER =
            Comparator.comparing(ReadMarker::user).thenComparing(ReadMarker::room);

    private ReadMarkerTable() {
    }

    /** Raises the markers in the caller's transaction; returns how many rows moved forward or were added. */
    static int raise(Connection connection, List<Consumed.Read> reads) throws SQLException {
        if (reads.isEmpty()) {
            return 0;
        }
        // One statement cannot update a row twice, so a batch's markers of one (user, room) become its highest.
        Map<ReadMarker, ReadMarker> highest = new TreeMap<>(ROW_ORDER);
        for (Consumed.Read read : reads) {
            highest.merge(read.marker(), read.marker(), (kept, next) -> next.seq() > kept.seq() ? next : kept);
        }
        int size = highest.size();
        String[] users = new String[size];
        String[] rooms = new String[size];
        long[] seqs = new long[size];
        long[] times = new long[size];
        int i = 0;
        for (ReadMarker marker : highest.values()) {
            users[i] = marker.user();
            rooms[i] = marker.room();
            seqs[i] = marker.seq();
            times[i] = marker.ts();
            i++;
        }
        try (PreparedStatement raise = connection.prepareStatement(RAISE)) {
            raise.setObject(1, users);
            raise.setObject(2, rooms);
            raise.setObject(3, seqs);
            raise.setObject(4, times);
            return raise.executeUpdate();
        }
    }
}
