package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import chat.common.UserErasure;

/**
 * Anonymises erased users: their display name leaves {@code users} and the connection log. Their messages were
 * deleted one by one before (each a change of its own); this takes what remains of the person.
 */
final class UserErasures {

    private static final String ANONYMISE = """
            UPDATE users AS u SET name = NULL,
                erased_at = greatest(u.erased_at, timestamptz 'epoch' + e.ms * interval '1 millisecond')
            FROM unnest(?::text[], ?::bigint[]) AS e(id, ms)
            WHERE u.id = e.id""";
    private static final String FORGET_NAMES = """
            UPDATE connection_events SET user_name = NULL
            WHERE user_id = ANY (?::text[]) AND user_name IS NOT NULL""";

    private UserErasures() {
    }

    /** Applies the erasures in the caller's transaction; applying one twice changes nothing more. */
    static void apply(Connection connection, List<Consumed.Erasure> erasures) throws SQLException {
        if (erasures.isEmpty()) {
            return;
        }
        String[] users = new String[erasures.size()];
        long[] at = new long[erasures.size()];
        for (int i = 0; i < users.length; i++) {
            UserErasure erasure = erasures.get(i).erasure();
            users[i] = erasure.user();
            at[i] = erasure.ts();
        }
        try (PreparedStatement anonymise = connection.prepareStatement(ANONYMISE);
             PreparedStatement forget = connection.prepareStatement(FORGET_NAMES)) {
            anonymise.setObject(1, users);
            anonymise.setObject(2, at);
            anonymise.executeUpdate();
            forget.setObject(1, users);
            forget.executeUpdate();
        }
    }
}
