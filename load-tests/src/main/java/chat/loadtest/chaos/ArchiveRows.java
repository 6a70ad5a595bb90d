package chat.loadtest.chaos;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import chat.loadtest.cluster.ClusterSettings;

/** Reads the archiver's {@code messages} rows of the run's rooms from PostgreSQL. */
final class ArchiveRows {

    private final ClusterSettings cluster;

    ArchiveRows(ClusterSettings cluster) {
        this.cluster = cluster;
    }

    /** Every row of the rooms, duplicates included. */
    List<ChaosLedger.Row> of(Set<String> rooms) throws SQLException {
        String sql = "select id::text, room, seq, sender, cid, sent_at, archived_at from messages where room = any(?)";
        try (Connection db = DriverManager.getConnection(cluster.databaseUrl(), cluster.databaseUser(),
                cluster.databasePassword());
             PreparedStatement query = db.prepareStatement(sql)) {
            Array names = db.createArrayOf("text", rooms.toArray());
            query.setArray(1, names);
            List<ChaosLedger.Row> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(new ChaosLedger.Row(row.getString(1), row.getString(2), row.getLong(3), row.getString(4),
                            row.getString(5), row.getTimestamp(6).getTime(), row.getTimestamp(7).getTime()));
                }
            }
            return rows;
        }
    }
}
