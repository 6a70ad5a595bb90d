package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import chat.common.RoomChange;

/**
 * Applies room membership changes to {@code rooms} and {@code room_members}. Each row takes a change only if the
 * change's version is above the row's, so the tables end at the state of the newest change however often and in
 * whatever order the changes arrive.
 */
final class RoomTable {

    /** A creation with a higher version redefines the room; later changes alone only make sure a row exists. */
    private static final String ROOMS = """
            INSERT INTO rooms AS r (name, kind, owner, created_at, version)
            SELECT name, kind, owner, timestamptz 'epoch' + ms * interval '1 millisecond', version
            FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS c(name, kind, owner, ms, version)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, owner = excluded.owner,
                created_at = excluded.created_at, version = excluded.version
            WHERE r.version < excluded.version""";

    /**
     * A member's row takes the newer state; when the state stays (a member added again, a removal repeated), its
     * times stay those of the change that made it.
     */
    private static final String MEMBERS = """
            INSERT INTO room_members AS m (room, user_id, added_by, added_at, removed_by, removed_at, version)
            SELECT room, user_id,
                   CASE WHEN admitted THEN actor END, CASE WHEN admitted THEN at END,
                   CASE WHEN admitted THEN NULL ELSE actor END, CASE WHEN admitted THEN NULL ELSE at END, version
            FROM (SELECT room, user_id, admitted, actor, timestamptz 'epoch' + ms * interval '1 millisecond' AS at,
                         version
                  FROM unnest(?::text[], ?::text[], ?::boolean[], ?::text[], ?::bigint[], ?::bigint[])
                      AS c(room, user_id, admitted, actor, ms, version)) AS c
            ON CONFLICT (room, user_id) DO UPDATE SET
                added_by = CASE WHEN excluded.removed_at IS NULL AND m.removed_at IS NOT NULL
                                THEN excluded.added_by ELSE m.added_by END,
                added_at = CASE WHEN excluded.removed_at IS NULL AND m.removed_at IS NOT NULL
                                THEN excluded.added_at ELSE m.added_at END,
                removed_by = CASE WHEN excluded.removed_at IS NULL THEN NULL
                                  WHEN m.removed_at IS NULL THEN excluded.removed_by ELSE m.removed_by END,
                removed_at = CASE WHEN excluded.removed_at IS NULL THEN NULL
                                  WHEN m.removed_at IS NULL THEN excluded.removed_at ELSE m.removed_at END,
                version = excluded.version
            WHERE m.version < excluded.version""";

    /** A creation states every member: whoever else an older row names is no longer one as of its version. */
    private static final String OTHERS_OUT = """
            UPDATE room_members
            SET removed_at = COALESCE(removed_at, timestamptz 'epoch' + ? * interval '1 millisecond'),
                removed_by = CASE WHEN removed_at IS NULL THEN ? ELSE removed_by END,
                version = ?
            WHERE room = ? AND version < ? AND user_id <> ALL (?::text[])""";

    private RoomTable() {
    }

    /** Applies the changes in the caller's transaction; returns how many there were. */
    static int apply(Connection connection, List<Consumed.RoomChanged> changes) throws SQLException {
        if (changes.isEmpty()) {
            return 0;
        }
        Map<String, RoomChange> rooms = new LinkedHashMap<>();
        Map<List<String>, List<Member>> members = new LinkedHashMap<>();
        for (Consumed.RoomChanged consumed : changes) {
            RoomChange change = consumed.change();
            rooms.merge(change.room(), change, RoomTable::definingRoom);
            for (String user : change.users()) {
                members.computeIfAbsent(List.of(change.room(), user), key -> new ArrayList<>())
                        .add(new Member(change.room(), user, change));
            }
        }
        upsertRooms(connection, rooms.values().stream().toList());
        // One statement cannot touch a row twice: a member changed twice in the batch takes a round per change,
        // in version order, so that an addition and a removal both leave their trace.
        members.values().forEach(history -> history.sort(Comparator.comparingLong(m -> m.change().version())));
        int rounds = members.values().stream().mapToInt(List::size).max().orElse(0);
        for (int round = 0; round < rounds; round++) {
            int index = round;
            upsertMembers(connection, members.values().stream().filter(history -> history.size() > index)
                    .map(history -> history.get(index)).toList());
        }
        // After the members: a creation outranks the older changes of this very batch too.
        for (RoomChange creation : rooms.values()) {
            if (creation.change() == RoomChange.Change.CREATE) {
                otherMembersOut(connection, creation);
            }
        }
        return changes.size();
    }

    /** Of two changes of a room, the one that says most about the room itself: the newer creation, if any. */
    private static RoomChange definingRoom(RoomChange a, RoomChange b) {
        boolean aCreates = a.change() == RoomChange.Change.CREATE;
        boolean bCreates = b.change() == RoomChange.Change.CREATE;
        if (aCreates != bCreates) {
            return aCreates ? a : b;
        }
        if (aCreates) {
            return a.version() >= b.version() ? a : b;
        }
        return a.ts() <= b.ts() ? a : b;
    }

    private static void upsertRooms(Connection connection, List<RoomChange> rooms) throws SQLException {
        int size = rooms.size();
        String[] names = new String[size];
        String[] kinds = new String[size];
        String[] owners = new String[size];
        long[] times = new long[size];
        long[] versions = new long[size];
        for (int i = 0; i < size; i++) {
            RoomChange change = rooms.get(i);
            names[i] = change.room();
            kinds[i] = change.kind();
            owners[i] = change.owner();
            times[i] = change.ts();
            versions[i] = change.change() == RoomChange.Change.CREATE ? change.version() : 0;
        }
        try (PreparedStatement upsert = connection.prepareStatement(ROOMS)) {
            upsert.setObject(1, names);
            upsert.setObject(2, kinds);
            upsert.setObject(3, owners);
            upsert.setObject(4, times);
            upsert.setObject(5, versions);
            upsert.executeUpdate();
        }
    }

    private static void otherMembersOut(Connection connection, RoomChange creation) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(OTHERS_OUT)) {
            update.setLong(1, creation.ts());
            update.setString(2, creation.by());
            update.setLong(3, creation.version());
            update.setString(4, creation.room());
            update.setLong(5, creation.version());
            update.setObject(6, creation.users().toArray(String[]::new));
            update.executeUpdate();
        }
    }

    private static void upsertMembers(Connection connection, List<Member> members) throws SQLException {
        int size = members.size();
        String[] rooms = new String[size];
        String[] users = new String[size];
        boolean[] admitted = new boolean[size];
        String[] actors = new String[size];
        long[] times = new long[size];
        long[] versions = new long[size];
        for (int i = 0; i < size; i++) {
            Member member = members.get(i);
            rooms[i] = member.room();
            users[i] = member.user();
            admitted[i] = member.change().change().admits();
            actors[i] = member.change().by();
            times[i] = member.change().ts();
            versions[i] = member.change().version();
        }
        try (PreparedStatement upsert = connection.prepareStatement(MEMBERS)) {
            upsert.setObject(1, rooms);
            upsert.setObject(2, users);
            upsert.setObject(3, admitted);
            upsert.setObject(4, actors);
            upsert.setObject(5, times);
            upsert.setObject(6, versions);
            upsert.executeUpdate();
        }
    }

    /** A change of one member of one room. */
    private record Member(String room, String user, RoomChange change) {
    }
}
