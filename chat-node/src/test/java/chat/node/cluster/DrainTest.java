package chat.node.cluster;

import chat.node.support.NodeProcess;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** SIGTERM drains a node: unready first, no new sessions, open ones closed so that clients reconnect elsewhere. */
@ExtendWith(ChatStackExtension.class)
class DrainTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sigtermTakesTheNodeOutOfServiceBeforeItClosesItsSessionsAndExits(TestStack stack, @TempDir Path logs)
            throws Exception {
        String room = stack.uniqueName("drain");
        try (NodeProcess node = NodeProcess.start(settings(stack, Map.of("CHAT_SHUTDOWN_READINESSDELAY", "3000",
                "CHAT_SHUTDOWN_GRACE", "15000")), logs.resolve("node.log"));
             SioClient client = SioClient.connected(node.port(), token("leaving"))) {
            client.call("join", Map.of("room", room));
            assertThat(client.call("message", Map.of("room", room, "text", "before")).path("ok").asBoolean(),
                    is(true));

            long terminated = System.nanoTime();
            node.terminate();

            await().atMost(Duration.ofSeconds(2)).until(() -> status(node.managementPort(), "/observe/health/ready") == 503);
            assertThat("a new session is refused while draining",
                    status(node.port(), "/socket.io/?EIO=4&transport=polling"), is(503));
            assertThat("the open session lasts until the readiness delay is over", client.isClosed(), is(false));

            assertThat(client.awaitClosed(Duration.ofSeconds(10)), is(true));
            assertThat("closed with an Engine.IO close, which socket.io-client answers by reconnecting",
                    client.frames(), hasItem("1"));
            assertThat("not a Socket.IO disconnect, after which it would not", client.frames(), not(hasItem("41")));
            assertThat(Duration.ofNanos(System.nanoTime() - terminated).toMillis(), greaterThan(2500L));
            assertThat("the process ends within its grace period", node.awaitExit(Duration.ofSeconds(15)),
                    not(is(-1)));
        }
    }

    @Test
    void nodeThatCannotListenOnItsPortExitsWithAnError(TestStack stack, @TempDir Path logs) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path log = logs.resolve("node.log");
            Process process = NodeProcess.launch(settings(stack, Map.of()), taken.getLocalPort(),
                    NodeProcess.freePort(), log);
            try {
                assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), is(true));
                assertThat(process.exitValue(), is(1));
                assertThat(Files.readString(log), containsString("could not listen on port " + taken.getLocalPort()));
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static Map<String, String> settings(TestStack stack, Map<String, String> more) {
        Map<String, String> settings = NodeProcess.environment(stack, stack.uniqueName("drain"));
        settings.putAll(more);
        return settings;
    }

    private static String token(String user) {
        return new chat.node.auth.TokenSigner(TestCluster.SECRET).issue(user, user, false, Duration.ofHours(1));
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
