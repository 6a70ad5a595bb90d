package chat.node.engineio;

import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.Map;

import static chat.node.engineio.EngineSocket.WEBSOCKET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Which browser pages may open a WebSocket: by default only those of the node's own origin (the {@code Origin}
 * header names the {@code Host}); where {@code server.protocols.websocket.origins} is set, only pages of the origins
 * it lists. A refused page gets HTTP 403 before any session exists. A client that sends no {@code Origin} is not a
 * browser page, so no visitor's session can be abused through it, and it is always let in.
 */
@ExtendWith(ChatStackExtension.class)
class WebSocketOriginTest {
    private static final String OWN_SITE = "https://chat.example";

    private static TestCluster defaults;
    private static TestCluster listing;

    @BeforeAll
    static void startNodes(TestStack stack) {
        defaults = TestCluster.of(stack, 1);
        listing = TestCluster.of(stack, 1, Map.of("server.protocols.websocket.origins",
                OWN_SITE + ",https://partner.example"));
    }

    @AfterAll
    static void stopNodes() {
        defaults.close();
        listing.close();
    }

    @Test
    void byDefaultAPageOfTheNodesOwnOriginOpensASession() {
        try (EngineSocket socket = EngineSocket.open(node(defaults), WEBSOCKET, origin(node(defaults).toString()))) {
            assertThat(socket.next(), startsWith("0{\"sid\":"));
        }
    }

    @Test
    void byDefaultAPageOfAnotherSiteIsRefused() {
        assertThat(EngineSocket.refusal(node(defaults), WEBSOCKET, origin("https://evil.example")), is(403));
    }

    @Test
    void pagesOfTheListedOriginsOpenSessions() {
        for (String site : new String[] {OWN_SITE, "https://partner.example"}) {
            try (EngineSocket socket = EngineSocket.open(node(listing), WEBSOCKET, origin(site))) {
                assertThat(site, socket.next(), startsWith("0{\"sid\":"));
            }
        }
    }

    @Test
    void pageOfAnOriginNotListedIsRefused() {
        assertThat(EngineSocket.refusal(node(listing), WEBSOCKET, origin("https://evil.example")), is(403));
        assertThat("the list replaces the same-origin rule",
                EngineSocket.refusal(node(listing), WEBSOCKET, origin(node(listing).toString())), is(403));
    }

    @Test
    void pageOfAnOriginNotListedCannotUpgradeAPollingSessionEither() {
        String sid = new EngineHttp(node(listing)).openSession();

        assertThat(EngineSocket.refusal(node(listing), EngineSocket.upgrading(sid), origin("https://evil.example")),
                is(403));
    }

    @Test
    void clientWithoutOriginIsNotABrowserPageAndOpensASession() {
        for (TestCluster cluster : new TestCluster[] {defaults, listing}) {
            try (EngineSocket socket = EngineSocket.open(node(cluster), WEBSOCKET)) {
                assertThat(socket.next(), startsWith("0{\"sid\":"));
            }
        }
    }

    private static URI node(TestCluster cluster) {
        return URI.create("http://127.0.0.1:" + cluster.port(0));
    }

    private static Map<String, String> origin(String origin) {
        return Map.of("Origin", origin.replaceAll("/$", ""));
    }
}
