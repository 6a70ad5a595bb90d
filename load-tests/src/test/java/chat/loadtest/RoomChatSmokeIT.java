package chat.loadtest;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.GeneratorRun;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.measure.RoomChatSummary;
import chat.stack.LocalStack;
import chat.stack.StackPorts;
import chat.stack.StackService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI smoke run of the load tests: real Redis and Kafka, two chat nodes in JVMs of their own, and the RoomChat
 * simulation at a low rate for about 15 s with rooms spread over both nodes, so that most deliveries cross nodes;
 * then the same load from the scaling run's generator on raw frames ({@code chat.loadtest.wire.WireLoad}), whose
 * accounting must agree. It checks correctness only (every ack ok, every message delivered to every member once and in order), never
 * speed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RoomChatSmokeIT {

    private static final String SECRET = "load-test-smoke-secret-0123456789";

    private static LocalStack stack;
    private static Fleet nodes;
    private static Path workDir;

    @BeforeAll
    static void startCluster() throws Exception {
        Path checkout = Path.of(System.getProperty("chat.checkout", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("chatNodeJar", checkout.resolve("chat-node/target/chat-node.jar").toString()));
        assertTrue(Files.isRegularFile(jar), "build the chat node first: " + jar);
        workDir = Files.createDirectories(Path.of("target", "smoke")).toAbsolutePath();
        Path stackDir = Files.createTempDirectory(workDir, "stack-");
        stack = LocalStack.start(stackDir, false, StackPorts.anyFree(),
                EnumSet.of(StackService.REDIS, StackService.KAFKA));
        ClusterSettings cluster = new ClusterSettings(stack.redis().url(), stack.kafka().bootstrap(), "", "", "",
                SECRET);
        nodes = Fleet.start(ServerKind.CHAT_NODE, 2, 0, CpuCaps.disabled(), jar, cluster, workDir.resolve("logs"));
        stack.closeFirst(nodes);
    }

    @AfterAll
    static void stopCluster() {
        if (stack != null) {
            stack.close();
        } else if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void everyMessageReachesEveryMemberOnBothNodesOnceAndInOrder() {
        Path summaryFile = workDir.resolve("room-chat-summary.json");
        int status = GeneratorRun.gatling("chat.loadtest.simulation.RoomChatSimulation", load(summaryFile, "gatling"),
                workDir.resolve("gatling"), false).run(CpuCaps.disabled().group("gatling", 0),
                workDir.resolve("gatling.log"), Duration.ofMinutes(2), pid -> { });

        assertEveryDeliveryOnceInOrder(RoomChatSummary.read(summaryFile));
        assertTrue(status == 0 || status == 2, "Gatling ended abnormally with status " + status);
    }

    @Test
    void theRawFrameGeneratorSeesEveryDeliveryOnceAndInOrderToo() {
        Path summaryFile = workDir.resolve("wire-summary.json");
        int status = GeneratorRun.wire(load(summaryFile, "wire")).run(CpuCaps.disabled().group("wire", 0),
                workDir.resolve("wire.log"), Duration.ofMinutes(2), pid -> { });

        RoomChatSummary summary = RoomChatSummary.read(summaryFile);
        assertEveryDeliveryOnceInOrder(summary);
        assertTrue(summary.endToEnd().count() > 0, "end-to-end latencies recorded");
        assertEquals(4 * summary.acked(), summary.endToEnd().count(), "one latency per delivery to another member");
        assertTrue(status == 0 || status == 2, "the generator ended abnormally with status " + status);
    }

    private static Map<String, String> load(Path summaryFile, String runTag) {
        return Map.of(
                "wsBaseUrls", nodes.wsBaseUrls(),
                "users", "40",
                "roomSize", "5",
                "placement", "spread",
                "ratePerUser", "1",
                "sendSeconds", "15",
                "arrivalRate", "40",
                "authSecret", SECRET,
                "runTag", runTag,
                "summaryFile", summaryFile.toString());
    }

    private static void assertEveryDeliveryOnceInOrder(RoomChatSummary summary) {
        assertEquals(40, summary.users(), "users that arrived");
        assertEquals(0, summary.joinFailures(), "users that could not connect or join");
        // How many messages go out depends on the machine's speed; what arrives must not.
        assertTrue(summary.sent() > 0, "no message was sent");
        assertEquals(summary.sent(), summary.acked(), "every message acknowledged with ok:true");
        assertEquals(5 * summary.acked(), summary.expectedDeliveries(), "each message is due to its 5 members");
        assertEquals(0, summary.lost(), "lost deliveries");
        assertEquals(0, summary.duplicates(), "duplicated deliveries");
        assertEquals(0, summary.outOfOrder(), "out-of-order deliveries");
        assertEquals(0, summary.outOfRange(), "deliveries from before the join");
        assertEquals(summary.expectedDeliveries(), summary.deliveries(), "deliveries, senders' own copies included");
    }
}
