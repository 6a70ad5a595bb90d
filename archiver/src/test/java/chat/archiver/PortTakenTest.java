package chat.archiver;

import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@ExtendWith(ChatStackExtension.class)
class PortTakenTest {
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
    void archiverThatCannotListenOnItsPortExitsWithAnErrorInsteadOfConsumingUnwatched(@TempDir Path logs)
            throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = new HashMap<>(archive.settings());
            settings.put("server.port", Integer.toString(taken.getLocalPort()));
            settings.put("server.host", "127.0.0.1");
            Path log = logs.resolve("archiver.log");
            try (ArchiverProcess archiver = ArchiverProcess.start(settings, log)) {
                assertThat(archiver.awaitExit(Duration.ofSeconds(60)), is(1));
                assertThat(Files.readString(log), containsString("could not listen on port " + taken.getLocalPort()));
            }
        }
    }
}
