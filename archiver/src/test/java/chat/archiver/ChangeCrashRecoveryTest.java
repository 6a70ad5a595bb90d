package chat.archiver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Edits and deletions while archivers are killed mid-stream: each change is stored and applied exactly once. */
@ExtendWith(ChatStackExtension.class)
class ChangeCrashRecoveryTest {

    private static final int KILLS = 2;
    private static final int ROOMS = 5;

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
    void changesOfArchiversKilledMidStreamAreStoredAndAppliedOnce() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("change-crash-recovery-archiver.log");
        Map<String, String> settings = new HashMap<>(archive.settings());
        settings.put("chat.kafka.properties.session.timeout.ms", "6000");
        ChangeStream stream = new ChangeStream(archive);
        Thread producer = Thread.ofPlatform().name("change-stream").start(stream);

        long archivedBefore = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            try (ArchiverProcess archiver = ArchiverProcess.start(settings, log)) {
                long before = archivedBefore;
                await().atMost(Duration.ofSeconds(90)).until(() -> archive.archivedMessages() > before);
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 600));
                archiver.kill();
            }
            archivedBefore = archive.archivedMessages();
        }
        stream.stopped = true;
        producer.join();

        archive.startArchiver();
        await().atMost(Duration.ofSeconds(120)).until(() -> archive.archivedMessages() == stream.messages
                && archive.count("SELECT count(*) FROM message_edits WHERE room LIKE ?", archive.room("%"))
                == stream.changes);
        assertThat(archive.count("SELECT count(*) FROM message_edits WHERE room LIKE ?", archive.room("%")),
                is((long) stream.changes));
        long wrong = 0;
        for (Map<String, Object> row : archive.rows("SELECT id::text AS id, coalesce(edited_body, body) AS text,"
                + " deleted FROM messages WHERE room LIKE ?", archive.room("%"))) {
            String expected = stream.latest.get((String) row.get("id"));
            String shown = Boolean.TRUE.equals(row.get("deleted")) ? null : (String) row.get("text");
            if (expected == null ? shown != null : !expected.equals(shown)) {
                wrong++;
            }
        }
        assertThat("messages whose row is not their latest state", wrong, is(0L));
    }

    /**
     * Messages in a few rooms, every third one edited right after, every seventh one's predecessor deleted, and
     * every eleventh one's edit produced before the message itself (a change can overtake its message).
     */
    private static final class ChangeStream implements Runnable {
        private static final int MAX_MESSAGES = 50_000;
        private static final int PAUSE_EVERY = 100;

        private final ArchiveFixture archive;
        private final JsonCodec codec = new JsonCodec();
        private final long[] seqs = new long[ROOMS];
        private final ChatMessage[] previous = new ChatMessage[ROOMS];
        /** Each message's latest text, null once deleted; read after the stream's thread ended. */
        final Map<String, String> latest = new HashMap<>();
        volatile boolean stopped;
        volatile int messages;
        volatile int changes;

        ChangeStream(ArchiveFixture archive) {
            this.archive = archive;
        }

        @Override
        public void run() {
            String user = archive.user("editor");
            for (int i = 0; i < MAX_MESSAGES && !stopped; i++) {
                int r = i % ROOMS;
                String room = archive.room("room-" + r);
                ChatMessage message = archive.message(room, ++seqs[r], user, "message " + i);
                MessageChange edit = i % 3 == 0
                        ? MessageChange.edit(message, user, "edited " + i, System.currentTimeMillis())
                                .withSeq(++seqs[r])
                        : null;
                if (edit != null && i % 11 == 0) {
                    produce(edit);
                    produce(message);
                } else {
                    produce(message);
                    if (edit != null) {
                        produce(edit);
                    }
                }
                latest.put(message.id(), edit == null ? message.text() : edit.text());
                if (i % 7 == 0 && previous[r] != null && latest.get(previous[r].id()) != null) {
                    produce(MessageChange.delete(previous[r], "moderator", System.currentTimeMillis())
                            .withSeq(++seqs[r]));
                    latest.put(previous[r].id(), null);
                }
                previous[r] = message;
                messages = i + 1;
                if (i % PAUSE_EVERY == 0) {
                    archive.flush();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            archive.flush();
        }

        private void produce(ChatMessage message) {
            archive.send(archive.messagesTopic(), message.room(), codec.encode(new ArchiveRecord(message, null)));
        }

        private void produce(MessageChange change) {
            archive.send(archive.messagesTopic(), change.message().room(), codec.encode(change));
            changes++;
        }
    }
}
