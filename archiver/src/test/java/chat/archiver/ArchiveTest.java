package chat.archiver;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import chat.archiver.consume.DeadLetters;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.ReadMarker;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

@ExtendWith(ChatStackExtension.class)
class ArchiveTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ArchiveFixture archive;

    @BeforeEach
    void setUp(TestStack stack) {
        archive = new ArchiveFixture(stack);
    }

    @AfterEach
    void tearDown() {
        archive.close();
    }

    @Test
    void producedMessagesAreArchivedOnceWithRoomSeqSenderAndText() {
        archive.startArchiver();
        String room = archive.room("lobby");
        String alice = archive.user("alice");
        ChatMessage first = archive.message(room, 1, alice, "hello");
        ChatMessage second = archive.message(room, 2, alice, "wie geht's? \uD83D\uDE00 'quotes' \\ \t");
        archive.produce(new ArchiveRecord(first, "Alice"));
        archive.produce(new ArchiveRecord(second, "Alice"));
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.archivedMessages() == 2);
        List<Map<String, Object>> rows = archive.rows(
                "SELECT id::text AS id, seq, sender, body, cid, sent_at = to_timestamp(?::bigint / 1000.0) AS at_ts"
                        + " FROM messages WHERE room = ? ORDER BY seq", first.ts(), room);
        assertThat(rows, hasSize(2));
        assertThat(rows.get(0).get("id"), is(first.id()));
        assertThat(rows.get(0).get("seq"), is(1L));
        assertThat(rows.get(0).get("sender"), is(alice));
        assertThat(rows.get(0).get("body"), is("hello"));
        assertThat(rows.get(0).get("cid"), is("cid-1"));
        assertThat(rows.get(0).get("at_ts"), is(true));
        assertThat(rows.get(1).get("body"), is(second.text()));
    }

    @Test
    void connectionEventsAreLoggedAndTheirUsersRecorded() {
        archive.startArchiver();
        String bob = archive.user("bob");
        String room = archive.room("games");
        long at = 1_700_000_000_000L;
        archive.produce(new ConnectionEvent(ConnectionEvent.Type.CONNECT, bob, "Bob", null, "node-1", "s1", at));
        archive.produce(new ConnectionEvent(ConnectionEvent.Type.JOIN, bob, "Bob", room, "node-1", "s1", at + 10));
        archive.produce(new ConnectionEvent(ConnectionEvent.Type.DISCONNECT, bob, null, null, "node-1", "s1",
                at + 120_000));
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.loggedEvents() == 3);
        List<Map<String, Object>> log = archive.rows(
                "SELECT kind, room, node, socket FROM connection_events WHERE user_id = ? ORDER BY id", bob);
        assertThat(log.stream().map(row -> row.get("kind")).toList(), contains("connect", "join", "disconnect"));
        assertThat(log.get(1).get("room"), is(room));
        List<Map<String, Object>> user = archive.rows(
                "SELECT name, extract(epoch FROM first_seen) * 1000 AS first_ms,"
                        + " extract(epoch FROM last_seen) * 1000 AS last_ms FROM users WHERE id = ?", bob);
        assertThat(user, hasSize(1));
        assertThat(user.getFirst().get("name"), is("Bob"));
        assertThat(((Number) user.getFirst().get("first_ms")).longValue(), is(at));
        assertThat(((Number) user.getFirst().get("last_ms")).longValue(), is(at + 120_000));
    }

    @Test
    void messageSendersAreRecordedAsUsers() {
        archive.startArchiver();
        String carol = archive.user("carol");
        archive.produce(new ArchiveRecord(archive.message(archive.room("a"), 1, carol, "hi"), "Carol"));
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.count("SELECT count(*) FROM users WHERE id = ?", carol) == 1);
        assertThat(archive.rows("SELECT name FROM users WHERE id = ?", carol).getFirst().get("name"), is("Carol"));
    }

    @Test
    void theSameRecordProducedTwiceIsArchivedOnce() {
        archive.startArchiver();
        String room = archive.room("twice");
        ArchiveRecord record = new ArchiveRecord(archive.message(room, 7, archive.user("dave"), "once"), null);
        archive.produce(record);
        archive.produce(record);
        archive.flush();
        ArchiveRecord later = new ArchiveRecord(archive.message(room, 8, archive.user("dave"), "after"), null);
        archive.produce(later);
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.count("SELECT count(*) FROM messages WHERE room = ? AND seq = 8",
                room) == 1);
        assertThat(archive.count("SELECT count(*) FROM messages WHERE room = ?", room), is(2L));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheRecordsAfterItAreArchived() {
        archive.startArchiver();
        String room = archive.room("poison");
        String erin = archive.user("erin");
        archive.produce(new ArchiveRecord(archive.message(room, 1, erin, "before"), null));
        archive.sendNow(archive.messagesTopic(), room, "{not json");
        archive.produce(new ArchiveRecord(archive.message(room, 2, erin, "nul \u0000 inside"), null));
        archive.produce(new ArchiveRecord(archive.message(room, 3, erin, "after"), null));
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.count(
                "SELECT count(*) FROM messages WHERE room = ? AND seq = 3", room) == 1);
        assertThat(archive.count("SELECT count(*) FROM messages WHERE room = ?", room), is(2L));
        List<ConsumerRecord<byte[], byte[]>> letters = archive.deadLetters(2, PATIENCE);
        assertThat(letters, hasSize(2));
        ConsumerRecord<byte[], byte[]> garbage = letters.stream()
                .filter(letter -> new String(letter.value(), StandardCharsets.UTF_8).equals("{not json"))
                .findFirst().orElseThrow();
        assertThat(header(garbage, DeadLetters.REASON_HEADER), startsWith("invalid JSON"));
        assertThat(header(garbage, DeadLetters.TOPIC_HEADER), is(archive.messagesTopic()));
        assertThat(archive.count("SELECT count(*) FROM kafka_offsets WHERE topic = ? AND partition = ? AND "
                        + "next_offset > ?", archive.messagesTopic(),
                Integer.parseInt(header(garbage, DeadLetters.PARTITION_HEADER)),
                Long.parseLong(header(garbage, DeadLetters.OFFSET_HEADER))), is(1L));
    }

    @Test
    void readMarkersAreArchivedAtTheHighestSeqAndMalformedOnesAreDeadLettered() {
        archive.startArchiver();
        String gina = archive.user("gina");
        String room = archive.room("read");
        long at = System.currentTimeMillis();
        for (long seq : new long[] {3, 8, 5, 8}) {
            archive.produce(new ReadMarker(gina, room, seq, at + seq));
        }
        archive.sendNow(archive.eventsTopic(), gina, "{\"type\":\"read\",\"user\":\"" + gina + "\",\"room\":\""
                + room + "\",\"seq\":-4,\"ts\":1}");
        archive.sendNow(archive.eventsTopic(), gina, "{\"type\":\"read\",\"user\":\"" + gina + "\"}");
        archive.produce(new ReadMarker(gina, archive.room("later"), 2, at));
        archive.flush();

        await().atMost(PATIENCE).until(() -> archive.count("SELECT count(*) FROM read_markers WHERE user_id = ?",
                gina) == 2);
        assertThat(archive.count("SELECT seq FROM read_markers WHERE user_id = ? AND room = ?", gina, room), is(8L));
        List<ConsumerRecord<byte[], byte[]>> letters = archive.deadLetters(2, PATIENCE);
        assertThat(letters, hasSize(2));
        assertThat(letters.stream().map(letter -> header(letter, DeadLetters.REASON_HEADER)).toList(),
                containsInAnyOrder("field 'seq' must not be negative", "field 'room' must be a string"));
        assertThat(header(letters.getFirst(), DeadLetters.TOPIC_HEADER), is(archive.eventsTopic()));
    }

    @Test
    void aRecordPostgresRefusesIsDeadLetteredAloneAndTheRestOfItsBatchIsArchived() throws Exception {
        String room = archive.room("refused");
        String refusedText = "refused by " + room;
        // Stands in for whatever PostgreSQL may refuse that the decoder does not foresee.
        try (Connection connection = archive.connect(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE FUNCTION refuse_" + room.replace('-', '_') + "() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN IF NEW.body = '" + refusedText + "' THEN RAISE EXCEPTION 'no' USING ERRCODE = '22023';"
                    + " END IF; RETURN NEW; END $$");
            ddl.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_"
                    + room.replace('-', '_') + "()");
        }
        try {
            String frank = archive.user("frank");
            for (int seq = 1; seq <= 20; seq++) {
                String text = seq == 13 ? refusedText : "message " + seq;
                archive.produce(new ArchiveRecord(archive.message(room, seq, frank, text), null));
            }
            archive.flush();
            archive.startArchiver();

            await().atMost(PATIENCE).until(() -> archive.archivedMessages() == 19);
            List<ConsumerRecord<byte[], byte[]>> letters = archive.deadLetters(1, PATIENCE);
            assertThat(letters, hasSize(1));
            assertThat(new String(letters.getFirst().value(), StandardCharsets.UTF_8), containsString(refusedText));
            assertThat(header(letters.getFirst(), DeadLetters.REASON_HEADER), containsString("22023"));
        } finally {
            try (Connection connection = archive.connect(); Statement ddl = connection.createStatement()) {
                ddl.execute("DROP TRIGGER refuse ON messages");
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
