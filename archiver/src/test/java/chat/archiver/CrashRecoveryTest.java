package chat.archiver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The archive after archivers die mid-stream, as processes do: killed, with batches half written. */
@ExtendWith(ChatStackExtension.class)
class CrashRecoveryTest {

    private static final int MESSAGES = 20_000;
    private static final int EVENTS_EVERY = 4;
    private static final int KILLS = 4;

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
    void archiversKilledMidStreamAndRestartedLoseNothingAndDuplicateNothing() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("crash-recovery-archiver.log");
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().name("stream").start(() -> {
            produceStream();
            producing.set(false);
        });

        long archivedBefore = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            try (ArchiverProcess archiver = ArchiverProcess.start(archive.settings(), log)) {
                long before = archivedBefore;
                await().atMost(Duration.ofSeconds(90)).until(() -> archive.archivedMessages() > before);
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 600));
                archiver.kill();
            }
            archivedBefore = archive.archivedMessages();
        }
        producer.join();

        archive.startArchiver();
        int events = MESSAGES / EVENTS_EVERY;
        await().atMost(Duration.ofSeconds(120)).until(() -> archive.archivedMessages() == MESSAGES
                && archive.loggedEvents() == events);
        assertThat(archive.count("SELECT count(DISTINCT id) FROM messages WHERE room LIKE ?",
                archive.room("%")), is((long) MESSAGES));
        assertThat(archive.count("SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets WHERE topic = ?",
                archive.messagesTopic()), is((long) MESSAGES));
        // Events have no unique key: a batch committed twice would show here.
        assertThat(archive.loggedEvents(), is((long) events));
        assertThat(producing.get(), is(false));
    }

    /** Messages in ten rooms, with a connection event after every few, spread over some seconds. */
    private void produceStream() {
        String user = archive.user("streamer");
        for (int i = 0; i < MESSAGES; i++) {
            String room = archive.room("room-" + (i % 10));
            archive.produce(new ArchiveRecord(archive.message(room, i / 10 + 1, user, "message " + i), "Streamer"));
            if (i % EVENTS_EVERY == 0) {
                archive.produce(new ConnectionEvent(ConnectionEvent.Type.JOIN, user, "Streamer", room, "node",
                        "socket-" + i, System.currentTimeMillis()));
            }
            if (i % 500 == 0) {
                archive.flush();
                sleep(150);
            }
        }
        archive.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
