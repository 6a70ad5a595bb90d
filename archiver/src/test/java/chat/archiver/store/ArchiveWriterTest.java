package chat.archiver.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import chat.archiver.ArchiverSettings;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.ReadMarker;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The batch transaction against a real PostgreSQL, without Kafka. */
@ExtendWith(ChatStackExtension.class)
class ArchiveWriterTest {

    private TestStack stack;
    private Database database;
    private String name;
    private TopicPartition partition;
    private OffsetTable offsets;
    private ArchiveWriter writer;

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        database = Database.open(new ArchiverSettings.Db(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword(), 2));
        database.migrate();
        name = stack.uniqueName("writer");
        partition = new TopicPartition(name, 0);
        offsets = new OffsetTable(database.client(), name);
        writer = new ArchiveWriter(database.dataSource(), offsets, new MessagePartitions(database.client()));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void aPartitionWithoutARowStartsAtItsFirstOffset() {
        assertThat(offsets.positions(Map.of(partition, 5L)), is(Map.of(partition, 5L)));
    }

    @Test
    void aBatchMovesTheArchiveToItsNextOffsetWithItsRows() throws Exception {
        offsets.positions(Map.of(partition, 0L));

        writer.writeBatch(batch(0, message(0, 1), event(1), message(2, 2)));

        assertThat(offsets.positions(Map.of(partition, 0L)), is(Map.of(partition, 3L)));
        assertThat(count("SELECT count(*) FROM messages WHERE room = ?", name), is(2L));
        assertThat(count("SELECT count(*) FROM connection_events WHERE user_id = ?", name), is(1L));
    }

    @Test
    void aBatchThatDoesNotStartWhereTheArchiveStandsIsStaleAndWritesNothing() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        writer.writeBatch(batch(0, message(0, 1), event(1)));

        // Another archiver read the same records before this one committed them.
        assertThrows(StaleBatchException.class, () -> writer.writeBatch(batch(0, message(0, 1), event(1))));

        assertThat(offsets.positions(Map.of(partition, 0L)), is(Map.of(partition, 2L)));
        assertThat(count("SELECT count(*) FROM connection_events WHERE user_id = ?", name), is(1L));
    }

    @Test
    void aBatchOfAMovedOnPartitionCannotPullItsOffsetBack() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        writer.writeBatch(batch(0, message(0, 1), message(1, 2), message(2, 3)));

        assertThrows(StaleBatchException.class, () -> writer.writeBatch(batch(1, message(1, 2))));

        assertThat(offsets.positions(Map.of(partition, 0L)), is(Map.of(partition, 3L)));
    }

    @Test
    void aMessageTheArchiveAlreadyHoldsIsCountedAsDuplicate() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        Consumed.Message original = message(0, 1);
        writer.writeBatch(batch(0, original));

        Consumed.Message again = new Consumed.Message(partition, 1, original.record(), original.id());
        ArchiveWriter.Written written = writer.writeBatch(batch(1, again, message(2, 2)));

        assertThat(written.inserted(), is(1));
        assertThat(written.duplicates(), is(1));
        assertThat(count("SELECT count(*) FROM messages WHERE room = ?", name), is(2L));
    }

    @Test
    void messagesOfAnUnseenMonthGetTheirPartition() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        long february1999 = 920_000_000_000L;
        UUID id = UUID.randomUUID();
        Consumed.Message old = new Consumed.Message(partition, 0, new ArchiveRecord(
                new ChatMessage(id.toString(), name, 1, name, "old", february1999, null), null), id);
        writer.writeBatch(batch(0, old));

        assertThat(count("SELECT count(*) FROM messages_1999_02 WHERE room = ?", name), is(1L));
    }

    @Test
    void aReadMarkerOnlyEverMovesForwardWhateverOrderAndHoweverOftenItIsWritten() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        String room = name + "-room";

        ArchiveWriter.Written first = writer.writeBatch(batch(0, read(0, room, 5), read(1, room, 3),
                read(2, "other", 7)));
        assertThat(first.markers(), is(2));
        assertThat(marker(room), is(5L));

        ArchiveWriter.Written older = writer.writeBatch(batch(3, read(3, room, 4), read(4, room, 5)));
        assertThat(older.markers(), is(0));
        assertThat(marker(room), is(5L));

        writer.writeBatch(batch(5, read(5, room, 9)));
        assertThat(marker(room), is(9L));
        assertThat(marker("other"), is(7L));
    }

    @Test
    void aReadMarkerKeepsTheTimeItReachedItsSeq() throws Exception {
        offsets.positions(Map.of(partition, 0L));
        String room = name + "-time";
        long at = 1_700_000_000_000L;

        writer.writeBatch(batch(0, new Consumed.Read(partition, 0, new ReadMarker(name, room, 5, at)),
                new Consumed.Read(partition, 1, new ReadMarker(name, room, 2, at + 60_000))));

        assertThat(count("SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM read_markers"
                + " WHERE room = ?", room), is(at));
    }

    private Consumed.Read read(long offset, String room, long seq) {
        return new Consumed.Read(partition, offset, new ReadMarker(name, room, seq, System.currentTimeMillis()));
    }

    private long marker(String room) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT seq FROM read_markers WHERE user_id = ? AND room = ?")) {
            query.setString(1, name);
            query.setString(2, room);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }

    private ArchiveBatch batch(long start, Consumed... entries) {
        return new ArchiveBatch(List.of(entries), Map.of(partition, start));
    }

    private Consumed.Message message(long offset, long seq) {
        UUID id = UUID.randomUUID();
        return new Consumed.Message(partition, offset, new ArchiveRecord(
                new ChatMessage(id.toString(), name, seq, name, "text " + seq, System.currentTimeMillis(), null),
                "Name"), id);
    }

    private Consumed.Event event(long offset) {
        return new Consumed.Event(partition, offset, new ConnectionEvent(ConnectionEvent.Type.CONNECT, name, "Name",
                null, "node", "socket", System.currentTimeMillis()));
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword());
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
