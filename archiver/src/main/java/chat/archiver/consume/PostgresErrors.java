package chat.archiver.consume;

import java.sql.SQLException;

/** What a PostgreSQL error says about the batch that caused it, by SQLSTATE. */
final class PostgresErrors {

    private PostgresErrors() {
    }

    /**
     * Whether PostgreSQL refused a value in the batch (class 22, data exception, or 54, program limit such as an
     * over-long index key): retrying the same rows fails the same way, so the offending record must be found.
     */
    static boolean refusesData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54"));
    }
}
