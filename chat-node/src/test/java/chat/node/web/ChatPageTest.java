package chat.node.web;

import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The chat page every node serves, in a real browser: people on two different nodes talk through it.
 */
@ExtendWith({RequiresChromium.class, ChatStackExtension.class})
class ChatPageTest {
    /** Runs before the page's own scripts, so the socket.io-client bundle never sees a WebSocket. */
    private static final String REMOVE_WEBSOCKET = "delete window.WebSocket;";
    private static final String POLLING_REQUESTS = """
            return performance.getEntriesByType('resource').map(entry => entry.name)
                .filter(url => url.includes('/socket.io/') && url.includes('transport=polling'));""";

    private static final int MAX_TEXT = 200;
    private static final int WRITER_BATCH = 25;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static TestStack stack;
    private static TestCluster cluster;
    private final List<HeadlessChromium> browsers = new ArrayList<>();

    @BeforeAll
    static void startCluster(TestStack testStack) {
        stack = testStack;
        cluster = TestCluster.of(testStack, 2, Map.of("chat.limits.textlength", String.valueOf(MAX_TEXT)));
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
    void peopleOnTwoNodesChatInARoomAndByDirectMessage() {
        String room = stack.uniqueName("lobby");
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        ChatPage annPage = pageOfNode(0).signIn(ann);
        ChatPage bobPage = pageOfNode(1).signIn(bob);
        assertThat(annPage.nodeShown(), is("127.0.0.1:" + cluster.port(0)));
        assertThat(bobPage.nodeShown(), is("127.0.0.1:" + cluster.port(1)));

        annPage.join(room);
        bobPage.join(room);
        annPage.awaitNotice(bob + " joined");
        annPage.type("hello bob");
        assertThat(bobPage.awaitTyping(), is(ann + " is typing…"));
        annPage.pressEnter();
        bobPage.awaitMessage("hello bob");
        bobPage.send("hi ann, all well on node 2");
        annPage.awaitMessage("hi ann, all well on node 2");
        assertThat(annPage.messages(), contains("hello bob", "hi ann, all well on node 2"));
        assertThat(bobPage.messages(), is(annPage.messages()));
        annPage.screenshot(SCREENSHOTS.resolve("chat.png"));

        String direct = "dm:" + ann + ":" + bob;
        bobPage.openDirect(ann, direct);
        bobPage.send("just between us");
        annPage.awaitUnread("@" + bob, 1);
        annPage.select("@" + bob);
        annPage.awaitMessage("just between us");
        annPage.send("sure");
        bobPage.awaitMessage("sure");
        assertThat(bobPage.messages(), contains("just between us", "sure"));
        bobPage.screenshot(SCREENSHOTS.resolve("direct-message.png"));
    }

    @Test
    void theOpenRoomShowsWhoIsOnlineOnEveryNodeAndTheRoomListHowManyAreInEachRoom() {
        String room = stack.uniqueName("online");
        String other = stack.uniqueName("other");
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        ChatPage annPage = pageOfNode(0).signIn(ann);
        annPage.join(room);
        annPage.awaitOnline(List.of(ann));
        annPage.join(other);

        try (SioClient bobOnNode2 = cluster.connect(1, bob)) {
            assertThat(bobOnNode2.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
            annPage.awaitOnlineCount("#" + room, 2);
            annPage.awaitOnlineCount("#" + other, 1);
            assertThat(annPage.online(), contains(ann));

            annPage.select("#" + room);
            annPage.awaitOnline(List.of(ann, bob));
            annPage.screenshot(SCREENSHOTS.resolve("online.png"));

            assertThat(bobOnNode2.call("leave", Map.of("room", room)).path("ok").asBoolean(), is(true));
            annPage.awaitOnline(List.of(ann));
            annPage.awaitOnlineCount("#" + room, 1);
        }
    }

    @Test
    void roomListCountsUnreadMessagesAndViewingTheRoomOnAnyPageOfTheUserClearsTheCount() {
        String busy = stack.uniqueName("busy");
        String quiet = stack.uniqueName("quiet");
        String bob = stack.uniqueName("bob");
        ChatPage bobHere = pageOfNode(0).signIn(bob);
        bobHere.join(busy);
        bobHere.join(quiet);

        sendMessages(busy, 3);
        bobHere.awaitUnread("#" + busy, 3);
        bobHere.goElsewhere();
        bobHere.open();
        bobHere.awaitJoinedOffScreen(busy);
        assertThat("the count the node answered the join with", bobHere.unread("#" + busy), is(3));

        ChatPage bobThere = pageOfNode(1).signIn(bob);
        bobThere.join(busy);
        bobThere.awaitMessage("message 3");

        bobHere.awaitUnread("#" + busy, 0);
        bobHere.goElsewhere();
        bobHere.open();
        bobHere.awaitJoinedOffScreen(busy);
        assertThat(bobHere.unread("#" + busy), is(0));
    }

    @Test
    void directMessageShowsSeenOnceTheOtherPersonHasViewedIt() {
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        ChatPage annPage = pageOfNode(0).signIn(ann);
        ChatPage bobPage = pageOfNode(1).signIn(bob);
        bobPage.join(stack.uniqueName("elsewhere"));

        annPage.openDirect(bob, "dm:" + ann + ":" + bob);
        annPage.send("are you there?");
        bobPage.awaitUnread("@" + ann, 1);
        assertThat(annPage.seenUnder(), is(List.of()));

        bobPage.select("@" + ann);
        bobPage.awaitMessage("are you there?");

        annPage.awaitSeenUnder("are you there?");
        bobPage.awaitUnread("@" + ann, 0);
    }

    @Test
    void theOwnerOfAPrivateRoomAddsAMemberOnTheOtherNodeAndRemovesThem() {
        String name = stack.uniqueName("team");
        String room = "p:" + name;
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        ChatPage annPage = pageOfNode(0).signIn(ann);
        ChatPage bobPage = pageOfNode(1).signIn(bob);

        annPage.createPrivateRoom(name);
        annPage.awaitMembers(List.of(ann + " (owner)"));
        assertThat(annPage.canAddMembers(), is(true));
        annPage.addMember(bob);
        annPage.awaitMembers(List.of(ann + " (owner)", bob));

        bobPage.awaitJoined(room);
        bobPage.select("#" + name + " (private)");
        bobPage.awaitNotice(ann + " added you");
        bobPage.awaitMembers(List.of(ann + " (owner)", bob));
        assertThat(bobPage.canAddMembers(), is(false));
        annPage.send("welcome, bob");
        bobPage.awaitMessage("welcome, bob");
        bobPage.send("thanks");
        annPage.awaitMessage("thanks");
        annPage.screenshot(SCREENSHOTS.resolve("private-room.png"));

        annPage.removeMember(bob);
        bobPage.awaitNotice(ann + " removed you from this room");
        annPage.awaitNotice(ann + " removed " + bob);
        annPage.awaitMembers(List.of(ann + " (owner)"));
        annPage.send("bob is gone");
        annPage.awaitMessage("bob is gone");
        assertThat(bobPage.messages(), contains("welcome, bob", "thanks"));
    }

    @Test
    void threePeopleStartAGroupAndChatInIt() {
        String ann = stack.uniqueName("ann");
        String bob = stack.uniqueName("bob");
        String cat = stack.uniqueName("cat");
        ChatPage annPage = pageOfNode(0).signIn(ann);
        ChatPage bobPage = pageOfNode(1).signIn(bob);
        ChatPage catPage = pageOfNode(1).signIn(cat);

        String group = annPage.startGroup(bob, cat);
        List<String> everyone = java.util.stream.Stream.of(ann, bob, cat).sorted().toList();
        annPage.awaitMembers(everyone);
        assertThat(annPage.canAddMembers(), is(false));
        for (ChatPage page : List.of(bobPage, catPage)) {
            page.awaitJoined(group);
            page.awaitMembers(everyone);
        }
        bobPage.send("hello, group");
        annPage.awaitMessage("hello, group");
        catPage.awaitMessage("hello, group");
    }

    @Test
    void pageThatComesBackShowsTheMessagesSentWhileItWasAway() {
        String room = stack.uniqueName("recovery");
        ChatPage annPage = pageOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNode(1).signIn(stack.uniqueName("bob"));
        annPage.join(room);
        bobPage.join(room);
        annPage.send("before you left");
        bobPage.awaitMessage("before you left");

        bobPage.goElsewhere();
        for (String text : List.of("missed one", "missed two", "missed three")) {
            annPage.send(text);
            annPage.awaitMessage(text);
        }
        bobPage.open();

        bobPage.awaitJoined(room);
        bobPage.awaitMessage("missed three");
        assertThat(bobPage.newMessagesDivider(), is("3 new messages while you were away"));
        assertThat(bobPage.messagesAfterDivider(), contains("missed one", "missed two", "missed three"));
    }

    @Test
    void droppedConnectionReconnectsAndCatchesUp() {
        String room = stack.uniqueName("tunnel");
        ChatPage annPage = pageOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNode(1).signIn(stack.uniqueName("bob"));
        annPage.join(room);
        bobPage.join(room);
        annPage.send("before the tunnel");
        bobPage.awaitMessage("before the tunnel");

        bobPage.setOffline(true);
        bobPage.awaitStatus("reconnecting");
        annPage.send("sent during the tunnel");
        annPage.awaitMessage("sent during the tunnel");
        bobPage.setOffline(false);

        assertThat(bobPage.awaitStatus("online"), is("Connected"));
        bobPage.awaitMessage("sent during the tunnel");
        assertThat(bobPage.messages(), contains("before the tunnel", "sent during the tunnel"));
        assertThat(bobPage.newMessagesDivider(), is("1 new message while you were away"));
    }

    @Test
    void authorEditsAndDeletesAMessageAndThePageOnTheOtherNodeShowsTheMarkAndTheTombstone() {
        String room = stack.uniqueName("changes");
        ChatPage annPage = pageOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNode(1).signIn(stack.uniqueName("bob"));
        annPage.join(room);
        bobPage.join(room);
        annPage.send("teh plan");
        bobPage.awaitMessage("teh plan");
        assertThat("others' messages offer no Edit or Delete", bobPage.changeableMessages(), is(0));

        annPage.editMessage("teh plan", "the plan");

        bobPage.awaitMessage("the plan");
        annPage.awaitMessage("the plan");
        assertThat(bobPage.editedMarks(), is(1));
        annPage.screenshot(SCREENSHOTS.resolve("edited.png"));

        annPage.deleteMessage("the plan");

        bobPage.awaitMessage("Message deleted");
        annPage.awaitMessage("Message deleted");
        assertThat(bobPage.messages(), contains("Message deleted"));
        assertThat(annPage.changeableMessages(), is(0));
        bobPage.screenshot(SCREENSHOTS.resolve("deleted.png"));
    }

    @Test
    void markupInAMessageIsShownAsTextAndNeverRuns() {
        String room = stack.uniqueName("markup");
        String attack = "<img src=x onerror=alert(1)>";
        ChatPage annPage = pageOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNode(1).signIn(stack.uniqueName("bob"));
        annPage.join(room);
        bobPage.join(room);

        annPage.send(attack);

        for (ChatPage page : List.of(annPage, bobPage)) {
            page.awaitMessage(attack);
            assertThat(page.imagesInConversations(), is(0));
            assertThat(page.alertShown(), is(false));
        }
    }

    @Test
    void refusedMessageShowsTheNodesReasonAndKeepsTheText() {
        ChatPage page = pageOfNode(0).signIn(stack.uniqueName("ann"));
        page.join(stack.uniqueName("limits"));
        String tooLong = "x".repeat(MAX_TEXT + 1);

        page.send(tooLong);

        assertThat(page.awaitComposerError(), is("'text' is longer than " + MAX_TEXT + " characters"));
        assertThat(page.composerText(), is(tooLong));
        assertThat(page.messages(), empty());
    }

    @Test
    void scrollingUpLoadsEarlierMessages() {
        String room = stack.uniqueName("history");
        sendMessages(room, 100);
        ChatPage page = pageOfNode(1).signIn(stack.uniqueName("reader"));

        page.join(room);
        page.awaitMessageCount(50);
        assertThat(page.messages().getFirst(), is("message 51"));
        page.scrollToTop();

        page.awaitMessageCount(100);
        assertThat(page.messages().getFirst(), is("message 1"));
        assertThat(page.messages().getLast(), is("message 100"));
    }

    @Test
    void nodeWithoutDevTokensTakesAPastedToken() {
        String ann = stack.uniqueName("ann");
        try (TestCluster production = TestCluster.of(stack, 1, Map.of("chat.auth.devtokens", "false"));
             HeadlessChromium browser = HeadlessChromium.launch()) {
            ChatPage page = new ChatPage(browser.driver(), production.port(0));

            page.signInWithToken(ann, production.token(ann));

            assertThat(page.signedInAs(), is(ann));
            page.join(stack.uniqueName("pasted"));
            page.send("signed in with a pasted token");
            page.awaitMessage("signed in with a pasted token");
            assertThat(browser.consoleErrors(), everyItem(containsString("/api/dev/token")));
        }
    }

    @Test
    void announcementReachesThePagesOnEveryNode() throws IOException, InterruptedException {
        ChatPage annPage = pageOfNode(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNode(1).signIn(stack.uniqueName("bob"));
        String text = "maintenance at 22:00 " + stack.uniqueName("");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.port(0) + "/api/announce"))
                .header("Authorization", "Bearer " + cluster.adminToken("ops"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body(), response.statusCode(), is(202));
        assertThat(annPage.awaitAnnouncement(), is(text));
        assertThat(bobPage.awaitAnnouncement(), is(text));
    }

    @Test
    void peopleOnTwoNodesChatBothWaysOverLongPollingWhenTheBrowserHasNoWebSocket() {
        String room = stack.uniqueName("nows");
        ChatPage annPage = pageOfNodeWithout(0).signIn(stack.uniqueName("ann"));
        ChatPage bobPage = pageOfNodeWithout(1).signIn(stack.uniqueName("bob"));

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

    private ChatPage pageOfNode(int node) {
        HeadlessChromium browser = HeadlessChromium.launch();
        browsers.add(browser);
        return new ChatPage(browser.driver(), cluster.port(node));
    }

    /** A page of the node in a browser that has no WebSocket at all, as behind a proxy that blocks them. */
    private ChatPage pageOfNodeWithout(int node) {
        HeadlessChromium browser = HeadlessChromium.launch();
        browsers.add(browser);
        browser.beforeEveryPage(REMOVE_WEBSOCKET);
        return new ChatPage(browser.driver(), cluster.port(node));
    }

    /** Sends "message 1" to "message n" in order, from one socket per batch the rate limit lets through at once. */
    private static void sendMessages(String room, int count) {
        for (int first = 1; first <= count; first += WRITER_BATCH) {
            try (SioClient writer = cluster.connect(0, stack.uniqueName("writer"))) {
                assertThat(writer.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
                List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
                for (int i = first; i < first + WRITER_BATCH && i <= count; i++) {
                    acks.add(writer.emit("message", Map.of("room", room, "text", "message " + i)));
                }
                assertThat(acks.stream().map(CompletableFuture::join).filter(a -> !a.path("ok").asBoolean()).toList(),
                        hasSize(0));
            }
        }
    }
}
