package chat.archiver;

import java.time.Duration;

import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Archivers of one consumer group sharing the partitions while they come and go. */
@ExtendWith(ChatStackExtension.class)
class ConsumerGroupTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

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
    void archiversJoiningAndLeavingTheGroupShareThePartitionsWithoutDuplicates() throws Exception {
        RecordStream stream = RecordStream.start(archive);
        Archiver first = archive.startArchiver();
        awaitProgress();

        archive.startArchiver();
        await().atMost(PATIENCE).until(() -> archive.membersWithPartitions() == 2);
        awaitProgress();

        first.close();
        awaitProgress();
        archive.startArchiver();
        await().atMost(PATIENCE).until(() -> archive.membersWithPartitions() == 2);
        awaitProgress();
        stream.stop();

        await().atMost(PATIENCE).until(() -> archive.archivedMessages() == stream.messages()
                && archive.loggedEvents() == stream.events());
        assertThat(archive.count("SELECT count(DISTINCT id) FROM messages WHERE room LIKE ?", archive.room("%")),
                is((long) stream.messages()));
        // Events have no unique key: a batch committed by two archivers would show here.
        assertThat(archive.loggedEvents(), is((long) stream.events()));
    }

    private void awaitProgress() {
        long before = archive.archivedMessages();
        await().atMost(PATIENCE).until(() -> archive.archivedMessages() > before + 500);
    }
}
