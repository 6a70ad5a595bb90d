package chat.node.history;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
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
import java.util.stream.Stream;

/**
 * {@link ArchivedMessages}, {@link ArchivedReadMarkers} and {@link ArchivedRooms} read from the archiver's tables
 * through a small read-only pool.
 */
public final class PostgresArchive implements ArchivedMessages, ArchivedReadMarkers, ArchivedRooms, AutoCloseable {
    private static final String COLUMNS =
            "SELECT id::text AS id, room, seq, sender, body, (extract(epoch FROM sent_at) * 1000)::bigint AS ts, cid"
                    + " FROM messages WHERE room = ?";
    private static final String AFTER = COLUMNS + " AND seq > ? ORDER BY seq LIMIT ?";
    private static final String BEFORE = COLUMNS + " AND seq < ? ORDER BY seq DESC LIMIT ?";
    /** The limit keeps a count a short index range scan, however many messages the room holds. */
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

    @Override
    public List<Entry> after(String room, long after, int limit) {
        try (Stream<DbRow> rows = db.execute().query(AFTER, room, after, limit)) {
            return rows.map(this::entry).toList();
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
        ChatMessage message = new ChatMessage(
                row.column("id").getString(),
                row.column("room").getString(),
                row.column("seq").getLong(),
                row.column("sender").getString(),
                row.column("body").getString(),
                row.column("ts").getLong(),
                row.column("cid").as(String.class).orElse(null));
        return new Entry(message.seq(), codec.encode(message));
    }

    @Override
    public void close() {
        db.close();
        pool.close();
    }
}
