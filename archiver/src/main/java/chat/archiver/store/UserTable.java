package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import chat.common.ChatMessage;
import chat.common.ConnectionEvent;

/**
 * Keeps the {@code users} table: one row per user id, with the first and last time the archive saw them and the
 * display name they last used. {@code last_seen} is kept to within {@link #LAST_SEEN_STEP}: a busy user costs one
 * row update per step, not one per message.
 *
 * <p>It remembers what its own committed batches wrote, and sends PostgreSQL only the sightings that may change a
 * row: most messages come from users who were just seen. Other archivers only ever move a row further in the
 * direction that makes a skip right (an earlier first_seen, a later last_seen).
 */
final class UserTable {

    static final Duration LAST_SEEN_STEP = Duration.ofMinutes(1);
    /** Users remembered at most; beyond that the memory starts over, which costs one round of upserts. */
    private static final int REMEMBERED = 200_000;

    /**
     * A name seen before the user's erasure (a message archived late) does not come back; one seen after it does.
     * Skips, before taking row locks, the sightings that would not change a row; takes the locks in id order, so
     * that concurrent writers touching the same users wait for each other instead of deadlocking.
     */
    private static final String UPSERT = """
            INSERT INTO users AS u (id, name, first_seen, last_seen)
            SELECT s.id, s.name, s.first_seen, s.last_seen
            FROM (SELECT id, name,
                         timestamptz 'epoch' + first_ms * interval '1 millisecond' AS first_seen,
                         timestamptz 'epoch' + last_ms * interval '1 millisecond' AS last_seen
                  FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS x(id, name, first_ms, last_ms)) AS s
            LEFT JOIN users AS known ON known.id = s.id
            WHERE known.id IS NULL
               OR s.first_seen < known.first_seen
               OR s.last_seen >= known.last_seen + ? * interval '1 millisecond'
               OR (s.name IS NOT NULL AND s.name IS DISTINCT FROM known.name AND s.last_seen >= known.last_seen)
            ORDER BY s.id
            ON CONFLICT (id) DO UPDATE SET
                name = CASE WHEN excluded.name IS NOT NULL AND excluded.last_seen >= u.last_seen
                                 AND (u.erased_at IS NULL OR excluded.last_seen > u.erased_at)
                            THEN excluded.name ELSE u.name END,
                first_seen = least(u.first_seen, excluded.first_seen),
                last_seen = greatest(u.last_seen, excluded.last_seen)""";

    private final Map<String, UserSightings.Sighting> written = new ConcurrentHashMap<>();

    /**
     * Records the batch's sightings in the caller's transaction; returns what to pass to {@link #committed} once
     * it has committed.
     */
    List<UserSightings.Sighting> record(Connection connection, ArchiveBatch batch) throws SQLException {
        List<UserSightings.Sighting> news = newsIn(batch);
        if (news.isEmpty()) {
            return news;
        }
        int size = news.size();
        String[] ids = new String[size];
        String[] names = new String[size];
        long[] first = new long[size];
        long[] last = new long[size];
        for (int i = 0; i < size; i++) {
            UserSightings.Sighting seen = news.get(i);
            ids[i] = seen.user();
            names[i] = seen.name();
            first[i] = seen.firstMillis();
            last[i] = seen.lastMillis();
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setObject(1, ids);
            upsert.setObject(2, names);
            upsert.setObject(3, first);
            upsert.setObject(4, last);
            upsert.setLong(5, LAST_SEEN_STEP.toMillis());
            upsert.executeUpdate();
        }
        return news;
    }

    /** The transaction that recorded these sightings committed: the archive holds at least this much. */
    void committed(List<UserSightings.Sighting> recorded) {
        if (written.size() + recorded.size() > REMEMBERED) {
            written.clear();
        }
        for (UserSightings.Sighting seen : recorded) {
            written.merge(seen.user(), seen, UserSightings.Sighting::and);
        }
    }

    /** What the batch says about users that may change their rows, added up per user. */
    private List<UserSightings.Sighting> newsIn(ArchiveBatch batch) {
        UserSightings news = new UserSightings();
        for (Consumed.Message message : batch.messages()) {
            ChatMessage chat = message.record().message();
            if (tellsSomethingNew(chat.from(), message.record().senderName(), chat.ts())) {
                news.saw(chat.from(), message.record().senderName(), chat.ts());
            }
        }
        for (Consumed.Event logged : batch.events()) {
            ConnectionEvent event = logged.event();
            if (tellsSomethingNew(event.user(), event.name(), event.ts())) {
                news.saw(event.user(), event.name(), event.ts());
            }
        }
        return news.all();
    }

    /** Whether a sighting may change the user's row, judged by what this writer's commits put there. */
    private boolean tellsSomethingNew(String user, String name, long millis) {
        UserSightings.Sighting known = written.get(user);
        return known == null
                || millis < known.firstMillis()
                || millis >= known.lastMillis() + LAST_SEEN_STEP.toMillis()
                || (name != null && !name.equals(known.name()));
    }
}
