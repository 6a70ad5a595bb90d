package chat.archiver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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
        Map<String, String> settings = new HashMap<>(archive.settings());
        // The group reassigns a killed archiver's partitions once its session times out: the broker's minimum.
        settings.put("chat.kafka.properties.session.timeout.ms", "6000");
        RecordStream stream = RecordStream.start(archive);

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
        stream.stop();

        archive.startArchiver();
        int messages = stream.messages();
        int events = stream.events();
        await().atMost(Duration.ofSeconds(120)).until(() -> archive.archivedMessages() == messages
                && archive.loggedEvents() == events);
        assertThat(archive.count("SELECT count(DISTINCT id) FROM messages WHERE room LIKE ?",
                archive.room("%")), is((long) messages));
        assertThat(archive.count("SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets WHERE topic = ?",
                archive.messagesTopic()), is((long) messages));
        // Events have no unique key: a batch committed twice would show here.
        assertThat(archive.loggedEvents(), is((long) events));
    }
}
