package chat.node.cluster;

import chat.node.support.NodeProcess;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

@ExtendWith(ChatStackExtension.class)
class PresenceAfterCrashTest {
    /** A node counts as alive this long after renewing; its users must leave within it plus a renewal period. */
    private static final long NODE_TTL_MILLIS = 1500;

    @Test
    void usersOfANodeKilledWithSigkillLeaveTheirRoomsWithinTheNodesTimeToLive(TestStack stack, @TempDir Path logs) {
        String room = stack.uniqueName("crash");
        String ttl = Long.toString(NODE_TTL_MILLIS);
        try (TestCluster cluster = TestCluster.of(stack, 1, Map.of("chat.presence.nodettl", ttl));
             NodeProcess doomed = NodeProcess.start(doomedSettings(stack, ttl), logs.resolve("doomed.log"));
             SioClient watcher = cluster.connect(0, "watcher");
             SioClient victim = SioClient.connected(doomed.port(), cluster.token("victim"))) {
            watcher.call("join", Map.of("room", room));
            victim.call("join", Map.of("room", room));
            watcher.await("presence", p -> isAbout(p, "victim", "join"));

            long killed = System.nanoTime();
            doomed.kill();
            JsonNode left = watcher.await("presence", p -> isAbout(p, "victim", "leave"));

            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertThat(left.path("room").asText(), is(room));
            assertThat("announced gone within the time to live and one renewal period, with slack for the test",
                    tookMillis, lessThan(NODE_TTL_MILLIS + NODE_TTL_MILLIS / 3 + 2000));
            JsonNode who = watcher.call("who", Map.of("room", room));
            assertThat("listed once the sweep announced the victim gone: " + who, who.path("count").asLong(), is(1L));
            assertThat(who.path("users").path(0).path("user").asText(), is("watcher"));
        }
    }

    @Test
    void nodeThatStopsCleanlyAnnouncesItsUsersGoneAtOnce(TestStack stack) {
        String room = stack.uniqueName("stop");
        try (TestCluster cluster = TestCluster.of(stack, 2, Map.of("chat.presence.nodettl", "60000"));
             SioClient watcher = cluster.connect(0, "watcher");
             SioClient leaver = cluster.connect(1, "leaver")) {
            watcher.call("join", Map.of("room", room));
            leaver.call("join", Map.of("room", room));
            watcher.await("presence", p -> isAbout(p, "leaver", "join"));

            cluster.node(1).server().stop();

            // Well inside the 60 s time to live: the stopping node said so itself.
            watcher.await("presence", p -> isAbout(p, "leaver", "leave"));
        }
    }

    private static Map<String, String> doomedSettings(TestStack stack, String ttl) {
        Map<String, String> settings = NodeProcess.environment(stack, stack.uniqueName("doomed"));
        settings.put("CHAT_PRESENCE_NODETTL", ttl);
        return settings;
    }

    private static boolean isAbout(JsonNode presence, String user, String event) {
        return presence.path("user").asText().equals(user) && presence.path("event").asText().equals(event);
    }
}
