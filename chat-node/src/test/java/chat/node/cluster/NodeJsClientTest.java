package chat.node.cluster;

import chat.node.support.NodeScript;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

/**
 * The npm socket.io-client the chat page ships, run by Node.js against two nodes: with its default options it
 * starts on long-polling and upgrades to a WebSocket; limited to long-polling it still sends and receives.
 */
@ExtendWith(ChatStackExtension.class)
class NodeJsClientTest {
    private static final Duration SCRIPT_TIME = Duration.ofSeconds(25);
    private static final int BURST = 30;
    private static final int REPLIES = 3;

    private static TestStack stack;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clientWithDefaultOptionsUpgradesFromPollingToWebSocketAndChatsWithAWebSocketClientOnTheOtherNode() {
        List<String> users = List.of(stack.uniqueName("ann"), stack.uniqueName("bob"));
        JsonNode result;
        try (NodeScript script = NodeScript.start("upgrading-client.js", input("upgrade", users, Map.of()))) {
            result = script.result(SCRIPT_TIME);
        }

        JsonNode transports = result.path("transports");
        assertThat(transports.toString(), transports.path("opened").asText(), is("polling"));
        assertThat(transports.toString(), texts(transports.path("upgrades")), contains("websocket"));
        assertThat(transports.toString(), transports.path("now").asText(), is("websocket"));
        JsonNode atBob = result.path("received").path(users.get(1));
        JsonNode atAnn = result.path("received").path(users.get(0));
        assertThat(atBob.path("text").asText(), is("hello " + users.get(1)));
        assertThat(atAnn.path("text").asText(), is("hi " + users.get(0)));
        assertThat(atAnn.path("seq").asLong(), is(atBob.path("seq").asLong() + 1));
    }

    @Test
    void pollingOnlyClientSendsABurstThatArrivesInOrderAndReceivesPushes() {
        List<String> users = List.of(stack.uniqueName("ann"), stack.uniqueName("bob"));
        JsonNode result;
        try (NodeScript script = NodeScript.start("polling-client-burst.js",
                input("burst", users, Map.of("burst", BURST, "replies", REPLIES)))) {
            result = script.result(SCRIPT_TIME);
        }

        JsonNode transports = result.path("transports");
        assertThat(transports.toString(), transports.path("now").asText(), is("polling"));
        assertThat(transports.toString(), texts(transports.path("upgrades")), is(empty()));
        List<JsonNode> acks = list(result.path("acks"));
        assertThat(acks.toString(), acks.stream().map(ack -> ack.path("ok").asBoolean()).toList(),
                everyItem(is(true)));
        List<JsonNode> burstAtBob = list(result.path("received").path(users.get(1)));
        assertThat(burstAtBob.stream().map(m -> m.path("text").asText()).toList(),
                is(IntStream.rangeClosed(1, BURST).mapToObj(i -> "burst " + i).toList()));
        assertThat("the seq of each ack is the seq the other client received",
                burstAtBob.stream().map(m -> m.path("seq").asLong()).toList(),
                is(acks.stream().map(ack -> ack.path("seq").asLong()).toList()));
        List<JsonNode> repliesAtAnn = list(result.path("received").path(users.get(0)));
        assertThat(repliesAtAnn.stream().map(m -> m.path("text").asText()).toList(),
                is(IntStream.rangeClosed(1, REPLIES).mapToObj(i -> "reply " + i).toList()));
    }

    /** A script's input: node 1 and node 2, a new room, the two users and their tokens. */
    private static Map<String, Object> input(String room, List<String> users, Map<String, Object> more) {
        Map<String, Object> input = new HashMap<>(more);
        input.put("urls", List.of(url(0), url(1)));
        input.put("room", stack.uniqueName(room));
        input.put("users", users);
        input.put("tokens", users.stream().map(cluster::token).toList());
        return input;
    }

    private static String url(int node) {
        return "http://127.0.0.1:" + cluster.port(node);
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }
}
