package chat.node.cluster;

import chat.node.cluster.NginxLoadBalancer.Request;
import chat.node.support.NodeScript;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

/**
 * The compose stack's load balancer (nginx/nginx.conf) in front of two nodes, with socket.io-client sessions
 * that start on long-polling and upgrade: each session's requests must all reach the node that holds it.
 */
@ExtendWith({RequiresNginx.class, ChatStackExtension.class})
class NginxRoutingTest {
    /**
     * Polling sticks by client address, and nginx's ip_hash hashes only the first three octets of an IPv4 address,
     * so each session comes from a /24 of its own in the loopback network (127.0.0.0/8 is all local on Linux).
     * Sixteen of them, so that even a hash that spreads addresses by chance (not ip_hash's) leaves a node without
     * sessions in fewer than one run in a thousand.
     */
    private static final List<String> SOURCE_ADDRESSES = IntStream.rangeClosed(1, 16)
            .mapToObj(network -> "127.0." + network + ".2").toList();
    private static final Duration SCRIPT_TIME = Duration.ofSeconds(25);

    @Test
    void everyRequestOfASessionReachesOneNodeThroughItsUpgradeWhileSessionsSpreadOverBothNodes(TestStack stack) {
        try (TestCluster cluster = TestCluster.of(stack, 2);
             NginxLoadBalancer balancer = NginxLoadBalancer.start(List.of(cluster.port(0), cluster.port(1)))) {
            List<Map<String, String>> users = SOURCE_ADDRESSES.stream().map(address -> {
                String name = stack.uniqueName("user");
                return Map.of("name", name, "token", cluster.token(name), "address", address);
            }).toList();
            JsonNode result;
            try (NodeScript script = NodeScript.start("sessions-through-load-balancer.js",
                    Map.of("url", balancer.url(), "room", stack.uniqueName("balanced"), "users", users))) {
                result = script.result(SCRIPT_TIME);
            }
            List<JsonNode> sessions = list(result.path("sessions"));
            assertThat(result.toString(), sessions, hasSize(users.size()));

            List<String> hellos = users.stream().map(user -> "hello from " + user.get("name")).toList();
            for (JsonNode session : sessions) {
                JsonNode transports = session.path("transports");
                assertThat(session.toString(), transports.path("opened").asText(), is("polling"));
                assertThat(session.toString(), transports.path("now").asText(), is("websocket"));
                assertThat(session.toString(), texts(session.path("heard")), containsInAnyOrder(hellos.toArray()));
            }
            Map<String, List<Request>> requests = await("every session's WebSocket in the access log")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> requestsBySession(balancer.accessLog(), sessions), NginxRoutingTest::allUpgraded);
            Map<String, String> nodeOfSession = requests.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, session -> onlyNode(session.getKey(), session.getValue())));
            for (List<Request> ofSession : requests.values()) {
                assertThat(ofSession.toString(), kinds(ofSession),
                        hasItems("GET polling handshake", "POST polling", "GET polling", "GET websocket"));
                assertThat(ofSession.toString(), ofSession.stream().map(Request::status).toList(),
                        everyItem(isIn(Set.of(200, 101))));
            }
            assertThat("nodes that got sessions: " + nodeOfSession, Set.copyOf(nodeOfSession.values()),
                    containsInAnyOrder("127.0.0.1:" + cluster.port(0), "127.0.0.1:" + cluster.port(1)));
        }
    }

    /**
     * The requests of each session by its sid: those that carry the sid, and its handshake, which has none yet
     * and is known by the session's source address.
     */
    private static Map<String, List<Request>> requestsBySession(List<Request> log, List<JsonNode> sessions) {
        return sessions.stream().collect(Collectors.toMap(
                session -> session.path("transports").path("sid").asText(),
                session -> log.stream().filter(request -> request.sid().isEmpty()
                                ? request.client().equals(session.path("address").asText())
                                : request.sid().equals(session.path("transports").path("sid").asText()))
                        .toList()));
    }

    private static boolean allUpgraded(Map<String, List<Request>> requests) {
        return requests.values().stream().allMatch(ofSession -> ofSession.stream()
                .anyMatch(request -> request.transport().equals("websocket") && request.status() == 101));
    }

    private static String onlyNode(String sid, List<Request> ofSession) {
        List<String> nodes = ofSession.stream().map(Request::node).distinct().toList();
        assertThat("nodes that requests of session " + sid + " reached: " + ofSession, nodes, hasSize(1));
        return nodes.getFirst();
    }

    /** What each request was: method, transport, and whether it is the handshake (a polling GET without sid). */
    private static List<String> kinds(List<Request> ofSession) {
        Function<Request, String> kind = request -> request.method() + " " + request.transport()
                + (request.sid().isEmpty() ? " handshake" : "");
        return ofSession.stream().map(kind).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }
}
