package chat.archiver.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Inserts messages into the {@code messages} table, skipping those it already holds.
 *
 * <p>The common case, a batch of messages the archive has never seen, goes straight into the table by binary
 * COPY. Only when that hits a unique violation (a message produced twice) does the batch go the slower way:
 * COPY into a temporary staging table, then {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}.
 */
final class MessageTable {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COPY_INTO_MESSAGES =
            "COPY messages " + MessageCopy.COLUMNS + " FROM STDIN (FORMAT binary)";
    private static final String CREATE_STAGE = """
            CREATE TEMPORARY TABLE IF NOT EXISTS message_stage (
                id uuid, room text, seq bigint, sender text, body text, sent_at timestamptz, cid text
            ) ON COMMIT DELETE ROWS""";
    private static final String EMPTY_STAGE = "TRUNCATE message_stage";
    private static final String COPY_INTO_STAGE =
            "COPY message_stage " + MessageCopy.COLUMNS + " FROM STDIN (FORMAT binary)";
    private static final String INSERT_NEW = "INSERT INTO messages " + MessageCopy.COLUMNS
            + " SELECT id, room, seq, sender, body, sent_at, cid FROM message_stage ON CONFLICT DO NOTHING";

    private MessageTable() {
    }

    /** Inserts the messages in the caller's transaction; returns how many were new. */
    static int insert(Connection connection, List<Consumed.Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return 0;
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            long copied = MessageCopy.write(copy.copyIn(COPY_INTO_MESSAGES), messages);
            connection.releaseSavepoint(beforeCopy);
            return Math.toIntExact(copied);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeCopy);
        }
        return insertNew(connection, copy, messages);
    }

    /**
     * Inserts those of the messages the archive does not hold yet, in the caller's transaction, the slower way at
     * once: for messages that changes bring along, which the archive mostly has already. Returns how many were new.
     */
    static int insertMissing(Connection connection, List<Consumed.Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return 0;
        }
        return insertNew(connection, connection.unwrap(PGConnection.class).getCopyAPI(), messages);
    }

    private static int insertNew(Connection connection, CopyManager copy, List<Consumed.Message> messages)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGE);
            // Empty even within the transaction: a batch may stage twice (its messages, then its changes' messages).
            statement.execute(EMPTY_STAGE);
            MessageCopy.write(copy.copyIn(COPY_INTO_STAGE), messages);
            return statement.executeUpdate(INSERT_NEW);
        }
    }
}
