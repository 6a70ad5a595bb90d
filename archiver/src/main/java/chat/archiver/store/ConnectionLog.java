package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import chat.common.ConnectionEvent;

/** Appends connection events to the {@code connection_events} table, in the order they were consumed. */
final class ConnectionLog {

    private static final String APPEND = """
            INSERT INTO connection_events (kind, user_id, user_name, room, node, socket, occurred_at)
            SELECT kind, user_id, user_name, room, node, socket, timestamptz 'epoch' + ms * interval '1 millisecond'
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                AS e(kind, user_id, user_name, room, node, socket, ms)""";

    private ConnectionLog() {
    }

    /** Appends the events in the caller's transaction; returns how many. */
    static int append(Connection connection, List<Consumed.Event> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        int size = events.size();
        String[] kinds = new String[size];
        String[] users = new String[size];
        String[] names = new String[size];
        String[] rooms = new String[size];
        String[] nodes = new String[size];
        String[] sockets = new String[size];
        long[] times = new long[size];
        for (int i = 0; i < size; i++) {
            ConnectionEvent event = events.get(i).event();
            kinds[i] = event.type().wire();
            users[i] = event.user();
            names[i] = event.name();
            rooms[i] = event.room();
            nodes[i] = event.node();
            sockets[i] = event.socket();
            times[i] = event.ts();
        }
        try (PreparedStatement insert = connection.prepareStatement(APPEND)) {
            insert.setObject(1, kinds);
            insert.setObject(2, users);
            insert.setObject(3, names);
            insert.setObject(4, rooms);
            insert.setObject(5, nodes);
            insert.setObject(6, sockets);
            insert.setObject(7, times);
            return insert.executeUpdate();
        }
    }
}
