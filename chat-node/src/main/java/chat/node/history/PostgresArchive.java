package chat.node.history;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.node.fanout.Roster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@link ArchivedMessages}, {@link ArchivedReadMarkers} and {@link ArchivedRooms} read from the archiver's tables
 * ({@code messages} and {@code message_edits}, {@code read_markers}, {@code rooms} and {@code room_members}) through
 * a small read-only pool.
 */
public final class PostgresArchive implements ArchivedMessages, ArchivedReadMarkers, ArchivedRooms, AutoCloseable {
    /** How a message stands after its changes: its latest edit's text, or deleted, and which change that was. */
    private static final String CHANGE_COLUMNS = ", edited_body, deleted, change_seq, changed_by,"
            + " (extract(epoch FROM changed_at) * 1000)::bigint AS changed_ms";
    /** The changes after a seq, each with its message as it now stands. */
    private static final String CHANGES_AFTER = "SELECT e.seq AS entry_seq, m.id::text AS id, m.room, m.seq, m.sender,"
            + " m.body, (extract(epoch FROM m.sent_at) * 1000)::bigint AS ts, m.cid, m.edited_body, m.deleted,"
            + " m.change_seq, m.changed_by, (extract(epoch FROM m.changed_at) * 1000)::bigint AS changed_ms"
            + " FROM message_edits AS e JOIN messages AS m ON m.id = e.message_id AND m.sent_at = e.message_sent_at"
            + " WHERE e.room = ? AND e.seq > ? ORDER BY e.seq LIMIT ?";
    /**
     * Served by the partial index messages_sender_live, on the sender's hash: deleted messages are not in it, and a
     * page stops at its limit (in no particular order), so it costs what it returns.
     */
    private static final String UNDELETED_OF = "SELECT id::text AS id, room, seq, sender, body,"
            + " (extract(epoch FROM sent_at) * 1000)::bigint AS ts, cid FROM messages"
            + " WHERE hashtext(sender) = hashtext(?) AND sender = ? AND NOT deleted LIMIT ?";
    private static final String COLUMNS =
            "SELECT id::text AS id, room, seq, sender, body, (extract(epoch FROM sent_at) * 1000)::bigint AS ts, cid"
                    + CHANGE_COLUMNS + " FROM messages WHERE room = ?";
    private static final String AFTER = COLUMNS + " AND seq > ? ORDER BY seq LIMIT ?";
    private static final String BEFORE = COLUMNS + " AND seq < ? ORDER BY seq DESC LIMIT ?";
    private static final String FIND = COLUMNS + " AND id = ?::uuid";
    /**
     * Message rows only (changes are rows of message_edits); the limit keeps a count a short index range scan,
     * however many messages the room holds.
     */
    private static final String COUNT = "SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE room = ?"
            + " AND seq > ? AND seq <= ? LIMIT ?) AS counted";
    private static final String READ_MARKERS = "SELECT room, seq FROM read_markers WHERE user_id = ?";

    private static final String ROOM = "SELECT kind, owner, (extract(epoch FROM created_at) * 1000)::bigint AS created,"
            + " version FROM rooms WHERE name = ?";
    private static final String MEMBERS = "SELECT user_id, version FROM room_members WHERE room = ?"
            + " AND removed_at IS NULL";

    private final HikariDataSource pool;
    private final DbClient db;
    private final JsonCodec codec;

    public PostgresArchive(String url, String user, String password, int poolSize, JsonCodec codec) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setReadOnly(true);
        config.setPoolName("history");
        // Start even when PostgreSQL is down: history answers "unavailable" until it is back.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(3000);
        this.pool = new HikariDataSource(config);
        this.codec = codec;
        JdbcConnectionPool connections = () -> {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("no database connection: " + e.getMessage(), e);
            }
        };
        this.db = JdbcClientBuilder.create().connectionPool(connections).build();
    }

    /** The room's messages and changes after {@code after}, merged by seq. */
    @Override
    public List<Entry> after(String room, long after, int limit) {
        TreeMap<Long, Entry> merged = new TreeMap<>();
        try (Stream<DbRow> rows = db.execute().query(AFTER, room, after, limit)) {
            rows.map(this::entry).forEach(entry -> merged.put(entry.seq(), entry));
        }
        try (Stream<DbRow> rows = db.execute().query(CHANGES_AFTER, room, after, limit)) {
            rows.forEach(row -> {
                Entry message = entry(row);
                long seq = row.column("entry_seq").getLong();
                merged.put(seq, new Entry(seq, message.json(), message.messageSeq(), message.changeSeq()));
            });
        }
        return merged.values().stream().limit(limit).toList();
    }

    @Override
    public FoundMessage find(String room, String id) {
        return db.execute().get(FIND, room, id).map(this::found).orElse(null);
    }

    @Override
    public List<ChatMessage> undeletedOf(String user, int limit) {
        try (Stream<DbRow> rows = db.execute().query(UNDELETED_OF, user, user, limit)) {
            return rows.map(PostgresArchive::asSent).toList();
        }
    }

    @Override
    public List<Entry> before(String room, Long before, int limit) {
        try (Stream<DbRow> rows = db.execute().query(BEFORE, room, before == null ? Long.MAX_VALUE : before, limit)) {
            return rows.map(this::entry).toList();
        }
    }

    @Override
    public long count(String room, long after, long upTo, int limit) {
        return db.execute().get(COUNT, room, after, upTo, limit)
                .map(row -> row.column("n").getLong())
                .orElse(0L);
    }

    @Override
    public Map<String, Long> of(String user) {
        try (Stream<DbRow> rows = db.execute().query(READ_MARKERS, user)) {
            Map<String, Long> markers = new HashMap<>();
            rows.forEach(row -> markers.put(row.column("room").getString(), row.column("seq").getLong()));
            return markers;
        }
    }

    @Override
    public Optional<Roster> room(String room) {
        Optional<DbRow> found = db.execute().get(ROOM, room);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DbRow row = found.get();
        long version = row.column("version").getLong();
        Set<String> members = new HashSet<>();
        try (Stream<DbRow> rows = db.execute().query(MEMBERS, room)) {
            for (DbRow member : rows.toList()) {
                members.add(member.column("user_id").getString());
                version = Math.max(version, member.column("version").getLong());
            }
        }
        return Optional.of(new Roster(room, row.column("kind").getString(),
                row.column("owner").as(String.class).orElse(null), row.column("created").getLong(), version,
                members));
    }

    private Entry entry(DbRow row) {
        FoundMessage found = found(row);
        String json = found.lastChange() == null ? codec.encode(found.asSent())
                : codec.write(codec.changedNode(found.lastChange()));
        return new Entry(found.asSent().seq(), json, found.asSent().seq(), found.changeSeq());
    }

    private FoundMessage found(DbRow row) {
        ChatMessage asSent = asSent(row);
        Long changeSeq = row.column("change_seq").as(Long.class).orElse(null);
        if (changeSeq == null) {
            return new FoundMessage(asSent, null);
        }
        boolean deleted = row.column("deleted").getBoolean();
        MessageChange change = new MessageChange(deleted ? MessageChange.Kind.DELETE : MessageChange.Kind.EDIT,
                asSent, changeSeq, row.column("changed_ms").getLong(), row.column("changed_by").getString(),
                deleted ? null : row.column("edited_body").getString());
        return new FoundMessage(asSent, change);
    }

    private static ChatMessage asSent(DbRow row) {
        return new ChatMessage(
                row.column("id").getString(),
                row.column("room").getString(),
                row.column("seq").getLong(),
                row.column("sender").getString(),
                row.column("body").getString(),
                row.column("ts").getLong(),
                row.column("cid").as(String.class).orElse(null));
    }

    @Override
    public void close() {
        db.close();
        pool.close();
    }
}
