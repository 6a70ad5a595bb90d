package chat.archiver;

import java.time.Duration;

import chat.stack.ChatStackExtension;
import chat.stack.PostgresServer;
import chat.stack.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The archiver while PostgreSQL is away: it waits, stays in its group, and catches up when it is back. */
@ExtendWith(ChatStackExtension.class)
class DatabaseOutageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private TestStack stack;
    private ArchiveFixture archive;

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        archive = new ArchiveFixture(stack);
    }

    @AfterEach
    void tearDown() {
        stack.postgresServer().start();
        archive.close();
    }

    @Test
    void anArchiverWaitsOutAPostgresOutageAndCatchesUpWithNothingLost() throws Exception {
        Archiver archiver = archive.startArchiver();
        RecordStream stream = RecordStream.start(archive);
        await().atMost(PATIENCE).until(() -> archive.archivedMessages() > 500);

        PostgresServer postgres = stack.postgresServer();
        postgres.stop();
        await().atMost(PATIENCE).until(() -> !archiver.ready());
        Thread.sleep(5_000);
        postgres.start();
        stream.stop();

        await().atMost(PATIENCE).until(() -> archive.archivedMessages() == stream.messages()
                && archive.loggedEvents() == stream.events());
        assertThat(archiver.ready(), is(true));
        assertThat(archive.loggedEvents(), is((long) stream.events()));
    }
}
