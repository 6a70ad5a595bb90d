package chat.node.web;

import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;

import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The chat page in a browser that has no WebSocket at all, as behind a proxy that blocks them: socket.io-client
 * stays on HTTP long-polling, and people on two nodes still talk both ways.
 */
@ExtendWith({RequiresChromium.class, ChatStackExtension.class})
class ChatPageWithoutWebSocketsTest {
    /** Runs before the page's own scripts, so the socket.io-client bundle never sees a WebSocket. */
    private static final String REMOVE_WEBSOCKET = "delete window.WebSocket;";
    private static final String POLLING_REQUESTS = """
            return performance.getEntriesByType('resource').map(entry => entry.name)
                .filter(url => url.includes('/socket.io/') && url.includes('transport=polling'));""";

    private static TestStack stack;
    private static TestCluster cluster;
    private final List<HeadlessChromium> browsers = new ArrayList<>();

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

    @AfterEach
    void pagesLoggedNoErrors() {
        List<String> errors = new ArrayList<>();
        try {
            browsers.forEach(browser -> errors.addAll(browser.consoleErrors()));
        } finally {
            browsers.forEach(HeadlessChromium::close);
        }
        assertThat(errors, empty());
    }

    @Test
    void peopleOnTwoNodesChatBothWaysOverLongPollingWhenTheBrowserHasNoWebSocket() {
        String room = stack.uniqueName("nows");
        ChatPage annPage = pageWithoutWebSocketOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageWithoutWebSocketOfNode(1).signIn(stack.uniqueName("bob"));

        annPage.join(room);
        bobPage.join(room);
        annPage.send("hello from node 1, no WebSocket here");
        bobPage.awaitMessage("hello from node 1, no WebSocket here");
        bobPage.send("none here either, on node 2");
        annPage.awaitMessage("none here either, on node 2");

        assertThat(annPage.messages(), contains("hello from node 1, no WebSocket here", "none here either, on node 2"));
        assertThat(bobPage.messages(), is(annPage.messages()));
        for (HeadlessChromium browser : browsers) {
            JavascriptExecutor page = (JavascriptExecutor) browser.driver();
            assertThat(page.executeScript("return typeof window.WebSocket"), is("undefined"));
            assertThat((List<?>) page.executeScript(POLLING_REQUESTS), is(not(empty())));
        }
    }

    private ChatPage pageWithoutWebSocketOfNode(int node) {
        HeadlessChromium browser = HeadlessChromium.launch();
        browsers.add(browser);
        browser.beforeEveryPage(REMOVE_WEBSOCKET);
        return new ChatPage(browser.driver(), cluster.port(node));
    }
}
