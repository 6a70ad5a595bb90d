package chat.archiver.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.archiver.ArchiverSettings;
import chat.common.RoomChange;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

/** Room membership changes applied to {@code rooms} and {@code room_members} against a real PostgreSQL. */
@ExtendWith(ChatStackExtension.class)
class RoomTableTest {

    private TestStack stack;
    private Database database;
    private TopicPartition partition;
    private ArchiveWriter writer;
    private String room;
    private long offset;

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        database = Database.open(new ArchiverSettings.Db(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword(), 2));
        database.migrate();
        String name = stack.uniqueName("rooms");
        partition = new TopicPartition(name, 0);
        OffsetTable offsets = new OffsetTable(database.client(), name);
        offsets.positions(Map.of(partition, 0L));
        writer = new ArchiveWriter(database.dataSource(), offsets, new MessagePartitions(database.client()));
        room = "p:" + name;
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void changesArrivingOutOfOrderLeaveEachMemberAtTheNewestState() throws Exception {
        write(create(100, "alice"), change(RoomChange.Change.REMOVE, "bob", 103));
        write(change(RoomChange.Change.ADD, "bob", 101), change(RoomChange.Change.ADD, "carol", 102));

        assertThat(members(), containsInAnyOrder("alice", "carol"));
        assertThat(strings("SELECT kind || ' ' || owner FROM rooms WHERE name = ?"), contains("private alice"));
    }

    @Test
    void aChangeWrittenTwiceChangesNothing() throws Exception {
        write(create(100, "alice"), change(RoomChange.Change.ADD, "bob", 101, 5_000));
        write(change(RoomChange.Change.ADD, "bob", 101, 9_000));

        assertThat(strings("SELECT extract(epoch FROM added_at)::bigint::text FROM room_members WHERE room = ?"
                + " AND user_id = 'bob'"), contains("5"));
    }

    @Test
    void anAdditionAndARemovalInOneBatchBothLeaveTheirTrace() throws Exception {
        write(create(100, "alice"), change(RoomChange.Change.ADD, "carol", 101),
                change(RoomChange.Change.REMOVE, "carol", 102));

        assertThat(members(), contains("alice"));
        assertThat(strings("SELECT added_by || ' ' || removed_by FROM room_members WHERE room = ?"
                + " AND user_id = 'carol'"), contains("alice alice"));
    }

    @Test
    void aCreationStatesEveryMemberOfTheRoom() throws Exception {
        write(create(100, "alice"), change(RoomChange.Change.ADD, "dave", 101));
        // The room was made again (Redis lost it before the archive knew of dave's removal): its newer creation wins.
        write(create(5_000, "alice", "erin"));

        assertThat(members(), containsInAnyOrder("alice", "erin"));
    }

    private void write(RoomChange... changes) throws Exception {
        List<Consumed> entries = new ArrayList<>();
        long start = offset;
        for (RoomChange change : changes) {
            entries.add(new Consumed.RoomChanged(partition, offset++, change));
        }
        writer.writeBatch(new ArchiveBatch(entries, Map.of(partition, start)));
    }

    private RoomChange create(long version, String... users) {
        return new RoomChange(RoomChange.Change.CREATE, room, "private", "alice", List.of(users), "alice", version,
                1_000);
    }

    private RoomChange change(RoomChange.Change change, String user, long version) {
        return change(change, user, version, 2_000);
    }

    private RoomChange change(RoomChange.Change change, String user, long version, long ts) {
        return new RoomChange(change, room, "private", "alice", List.of(user), "alice", version, ts);
    }

    private List<String> members() throws SQLException {
        return strings("SELECT user_id FROM room_members WHERE room = ? AND removed_at IS NULL");
    }

    private List<String> strings(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword());
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, room);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
