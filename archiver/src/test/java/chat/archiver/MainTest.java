package chat.archiver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import chat.common.ArchiveRecord;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The service as {@link Main} wires it: the archiver started with the server, health and metrics beside it. */
@ExtendWith(ChatStackExtension.class)
class MainTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ArchiveFixture archive;
    private WebServer server;

    @BeforeEach
    void setUp(TestStack stack) {
        archive = new ArchiveFixture(stack);
        WebServerConfig.Builder builder = WebServer.builder();
        Main.setup(builder, archive.config());
        server = builder.build().start();
    }

    @AfterEach
    void tearDown() {
        server.stop();
        archive.close();
    }

    @Test
    void theServerIsReadyOnceTheArchiverConsumesAndReportsItsMetrics() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/observe/health/ready").statusCode() == 200);
        assertThat(get("/observe/health").body(), containsString("\"database\":\"reachable\""));

        archive.produce(new ArchiveRecord(archive.message(archive.room("m"), 1, archive.user("u"), "hi"), null));
        archive.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> archive.archivedMessages() == 1);

        String metrics = get("/observe/metrics").body();
        assertThat(metrics, containsString("chat_archiver_messages_archived_total"));
        assertThat(metrics, containsString("chat_archiver_db_write_seconds"));
        assertThat(metrics, containsString("chat_archiver_consumer_lag"));
        assertThat(metrics, containsString("chat_archiver_ingress_to_archived_seconds"));
        assertThat(metrics, containsString("chat_archiver_batch_size_records"));
        assertThat(metrics, containsString("chat_archiver_records_consumed_total"));
    }

    @Test
    void theArchiverLeavesItsGroupWhenTheServerStops() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> archive.membersWithPartitions() == 1);

        server.stop();

        assertThat(archive.membersWithPartitions(), is(0L));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
