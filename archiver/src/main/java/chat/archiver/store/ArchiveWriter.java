package chat.archiver.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * Writes a batch into the archive in one PostgreSQL transaction: the offsets it moves the archive to, its
 * messages, its connection events, its read markers, its room membership changes and what it says about users.
 * Either all of it commits or none of it does, so the archive always holds exactly the records before the offsets in
 * {@code kafka_offsets}, each once.
 */
public final class ArchiveWriter {

    private static final String CHECK_VIOLATION = "23514";

    private final DataSource dataSource;
    private final OffsetTable offsets;
    private final MessagePartitions partitions;
    private final UserTable users = new UserTable();

    public ArchiveWriter(DataSource dataSource, OffsetTable offsets, MessagePartitions partitions) {
        this.dataSource = dataSource;
        this.offsets = offsets;
        this.partitions = partitions;
    }

    /**
     * What a committed batch changed.
     *
     * @param inserted   messages new to the archive
     * @param duplicates messages the archive already held
     * @param events     connection events appended
     * @param markers    read markers that moved forward (or were new)
     * @param rooms      room membership changes applied
     */
    public record Written(int inserted, int duplicates, int events, int markers, int rooms) {
    }

    /**
     * Writes the batch's messages, events, read markers, room changes, users and offsets, and commits, after creating
     * the monthly partitions of messages it needs.
     *
     * @throws StaleBatchException if another archiver has written one of the batch's partitions since the batch
     *                             was read; nothing is written
     * @throws SQLException        if PostgreSQL failed; nothing is written
     */
    public Written writeBatch(ArchiveBatch batch) throws SQLException, StaleBatchException {
        partitions.ensure(batch.months());
        // The bulk path needs pgjdbc's CopyManager, and the offsets must commit in the same transaction as the rows,
        // so the whole batch runs on one pooled JDBC connection rather than through DbClient.
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // First, so that a stale batch stops before any work, and its partitions' rows stay locked.
                offsets.advance(connection, batch.offsets());
                int inserted = MessageTable.insert(connection, batch.messages());
                // After the messages: a change applies to a message of its own batch, or brings its message along.
                MessageChanges.apply(connection, batch.changes());
                int events = ConnectionLog.append(connection, batch.events());
                int markers = ReadMarkerTable.raise(connection, batch.reads());
                int rooms = RoomTable.apply(connection, batch.roomChanges());
                // Last, so that user rows, which other archivers' batches touch too, stay locked only briefly.
                List<UserSightings.Sighting> recorded = users.record(connection, batch);
                UserErasures.apply(connection, batch.erasures());
                connection.commit();
                users.committed(recorded);
                return new Written(inserted, batch.messages().size() - inserted, events, markers, rooms);
            } catch (SQLException e) {
                rollback(connection, e);
                if (CHECK_VIOLATION.equals(e.getSQLState())) {
                    // A message outside every partition: a month was dropped since this archiver last looked.
                    partitions.forget();
                }
                throw e;
            } catch (StaleBatchException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
