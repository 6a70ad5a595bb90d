package chat.archiver.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import chat.archiver.ArchiverSettings;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.MessageChange;
import chat.common.UserErasure;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Edits, deletions and erasures in the batch transaction, against a real PostgreSQL. */
@ExtendWith(ChatStackExtension.class)
class MessageChangesTest {

    private TestStack stack;
    private Database database;
    private String room;
    private TopicPartition partition;
    private ArchiveWriter writer;
    private long offset;

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        database = Database.open(new ArchiverSettings.Db(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword(), 2));
        database.migrate();
        room = stack.uniqueName("changes");
        partition = new TopicPartition(room, 0);
        OffsetTable offsets = new OffsetTable(database.client(), room);
        offsets.positions(Map.of(partition, 0L));
        writer = new ArchiveWriter(database.dataSource(), offsets, new MessagePartitions(database.client()));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void anEditKeepsTheTextAsSentAndShowsTheNewOneWithOneHistoryRow() throws Exception {
        ChatMessage sent = message(1, "helo");
        write(new ArchiveRecord(sent, "Alice"));

        write(MessageChange.edit(sent, "alice", "hello", 2_000).withSeq(2));

        assertThat(strings("SELECT body || '|' || edited_body || '|' || change_seq || '|' || changed_by"
                + " FROM messages WHERE room = ?"), contains("helo|hello|2|alice"));
        assertThat(strings("SELECT kind || '|' || body FROM message_edits WHERE room = ?"), contains("edit|hello"));
    }

    @Test
    void aChangeInTheSameBatchAsItsMessageOrBeforeItApplies() throws Exception {
        ChatMessage together = message(1, "one");
        ChatMessage late = message(2, "two");
        List<Consumed> batch = new ArrayList<>();
        batch.add(entry(new ArchiveRecord(together, null)));
        batch.add(entry(MessageChange.edit(together, "alice", "one!", 0).withSeq(3)));
        // The change comes first, its message's own record after, in a later batch.
        batch.add(entry(MessageChange.edit(late, "alice", "two!", 0).withSeq(4)));
        writer.writeBatch(batch(batch));

        writer.writeBatch(batch(List.of(entry(new ArchiveRecord(late, null)))));

        assertThat(strings("SELECT body || '>' || edited_body FROM messages WHERE room = ? ORDER BY seq"),
                contains("one>one!", "two>two!"));
    }

    @Test
    void aReplayedOrRepeatedChangeIsStoredAndAppliedOnce() throws Exception {
        ChatMessage sent = message(1, "a");
        write(new ArchiveRecord(sent, null));
        MessageChange first = MessageChange.edit(sent, "alice", "b", 0).withSeq(2);
        MessageChange second = MessageChange.edit(sent, "alice", "c", 0).withSeq(3);
        write(first);
        write(second);

        // Both produced again (a resend with their cid), the older last: the newer one stays.
        writer.writeBatch(batch(List.of(entry(second), entry(first))));

        assertThat(strings("SELECT edited_body || ':' || change_seq FROM messages WHERE room = ?"), contains("c:3"));
        assertThat(strings("SELECT seq::text FROM message_edits WHERE room = ? ORDER BY seq"), contains("2", "3"));
    }

    @Test
    void aDeletionErasesTheTextTheCidAndTheEditHistoryButKeepsWhoAndWhen() throws Exception {
        ChatMessage sent = message(1, "secret");
        write(new ArchiveRecord(sent, null));
        write(MessageChange.edit(sent, "alice", "more secret", 0).withSeq(2));

        write(MessageChange.delete(sent, "mod", 5_000).withSeq(3));
        write(MessageChange.edit(sent, "alice", "undeleted?", 0).withSeq(4));

        assertThat(strings("SELECT body || '|' || coalesce(edited_body, '-') || '|' || coalesce(cid, '-') || '|'"
                + " || deleted || '|' || change_seq || '|' || changed_by FROM messages WHERE room = ?"),
                contains("|-|-|true|3|mod"));
        assertThat(strings("SELECT kind || ':' || coalesce(body, '-') FROM message_edits WHERE room = ? ORDER BY seq"),
                contains("edit:-", "delete:-", "edit:-"));
    }

    @Test
    void anErasureAnonymisesTheUserAndANameSeenBeforeItDoesNotComeBack() throws Exception {
        String user = room + "-user";
        ChatMessage sent = new ChatMessage(UUID.randomUUID().toString(), room, 1, user, "hi", 1_000_000, null);
        writer.writeBatch(batch(List.of(entry(new ArchiveRecord(sent, "Real Name")), new Consumed.Event(partition,
                offset++, new ConnectionEvent(ConnectionEvent.Type.CONNECT, user, "Real Name", null, "n", "s",
                1_000_000)))));

        write(new UserErasure(user, "admin", 2_000_000));
        ChatMessage older = new ChatMessage(UUID.randomUUID().toString(), room, 2, user, "late", 1_500_000, null);
        write(new ArchiveRecord(older, "Real Name"));

        assertThat(strings("SELECT coalesce(name, '-') || '|' || (erased_at IS NOT NULL) FROM users WHERE id LIKE ?"
                + " || '-user'"), contains("-|true"));
        assertThat(strings("SELECT coalesce(user_name, '-') FROM connection_events WHERE user_id LIKE ? || '-user'"),
                contains("-"));
    }

    private ChatMessage message(long seq, String text) {
        return new ChatMessage(UUID.randomUUID().toString(), room, seq, "alice", text, 1_000 + seq, "cid-" + seq);
    }

    private void write(Object record) throws Exception {
        writer.writeBatch(batch(List.of(entry(record))));
    }

    private Consumed entry(Object record) {
        return switch (record) {
            case ArchiveRecord message -> new Consumed.Message(partition, offset++, message,
                    UUID.fromString(message.message().id()));
            case MessageChange change -> new Consumed.Change(partition, offset++, change,
                    UUID.fromString(change.message().id()));
            case UserErasure erasure -> new Consumed.Erasure(partition, offset++, erasure);
            default -> throw new IllegalArgumentException(String.valueOf(record));
        };
    }

    private ArchiveBatch batch(List<Consumed> entries) {
        return new ArchiveBatch(entries, Map.of(partition, entries.getFirst().offset()));
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
