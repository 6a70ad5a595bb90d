package chat.node.engineio;

import chat.node.Main;
import chat.node.auth.TokenSigner;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;

import io.helidon.webserver.WebServerConfig;

import java.time.Duration;
import java.util.Map;

/**
 * The chat node a conformance test class starts with Helidon's {@code @ServerTest}: the very wiring of
 * {@link Main#setup}, against the shared test stack's Redis and Kafka, with the Engine.IO settings of the class.
 */
final class ConformanceNode {
    private static final TokenSigner TOKENS = new TokenSigner(TestCluster.SECRET);

    private ConformanceNode() {
    }

    /** Wires the node into the server that {@code @ServerTest} builds; call it from the class's {@code @SetUpServer}. */
    static void setUp(WebServerConfig.Builder server, Map<String, String> settings) {
        Main.setup(server, TestCluster.nodeConfig(ChatStackExtension.shared(), "conformance", settings));
    }

    /** A Socket.IO CONNECT to namespace {@code /} inside an Engine.IO message, with a valid token for the user. */
    static String connectPacket(String user) {
        return "40{\"token\":\"" + TOKENS.issue(user, user, false, Duration.ofHours(1)) + "\"}";
    }
}
