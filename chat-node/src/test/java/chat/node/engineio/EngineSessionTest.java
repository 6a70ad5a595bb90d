package chat.node.engineio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The session state machine alone: fake transports, a recording handler, no network. */
class EngineSessionTest {
    private static final EngineConfig CONFIG = new EngineConfig(Duration.ofHours(1), Duration.ofHours(1), 100,
            Duration.ofHours(1), 4, new EngineConfig.Cors(Set.of(), false, false));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeTransport polling = new FakeTransport(true);
    private final FakeTransport socket = new FakeTransport(false);
    private final RecordingHandler handler = new RecordingHandler();
    private final List<EngineSession> ended = new CopyOnWriteArrayList<>();
    private final AtomicInteger overflows = new AtomicInteger();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void firstPollAnswersTheOpenPacketOfferingTheWebSocket() throws Exception {
        EngineSession session = open(polling, CONFIG);

        List<String> first = session.poll();

        assertThat(first.size(), is(1));
        assertThat(first.getFirst(), startsWith("0{\"sid\":\"s1\",\"upgrades\":[\"websocket\"]"));
    }

    @Test
    void pendingPollIsAnsweredWithEverythingQueuedWhenAPacketArrives() throws Exception {
        EngineSession session = openAndDrain();
        CompletableFuture<List<String>> poll = pollInBackground(session);
        Thread.sleep(50);
        assertThat("nothing to answer yet", poll.isDone(), is(false));

        session.send("42[\"a\"]");

        assertThat(poll.get(2, TimeUnit.SECONDS), contains("42[\"a\"]"));
    }

    @Test
    void secondPollWhileOneWaitsIsRefusedAndEndsTheSessionWithACloseForTheFirst() throws Exception {
        EngineSession session = openAndDrain();
        CompletableFuture<List<String>> first = pollInBackground(session);
        Thread.sleep(50);

        EngineError.Refusal refusal = assertThrows(EngineError.Refusal.class, session::poll);

        assertThat(refusal.error(), is(EngineError.BAD_REQUEST));
        assertThat(first.get(2, TimeUnit.SECONDS), contains("1"));
        assertThat(handler.closedFor.get(2, TimeUnit.SECONDS), is("polling_overlap"));
        assertThat(ended, contains(session));
    }

    @Test
    void closePacketFromTheClientReleasesThePendingPollWithANoop() throws Exception {
        EngineSession session = openAndDrain();
        CompletableFuture<List<String>> poll = pollInBackground(session);
        Thread.sleep(50);

        session.receive("1");

        assertThat(poll.get(2, TimeUnit.SECONDS), contains("6"));
        assertThat(handler.closedFor.get(2, TimeUnit.SECONDS), is("client_closed"));
    }

    @Test
    void upgradeMovesTheQueueToTheWebSocketAndRefusesPollingAfterwards() throws Exception {
        EngineSession session = openAndDrain();
        CompletableFuture<List<String>> poll = pollInBackground(session);
        Thread.sleep(50);
        assertThat(session.beginProbe(socket), is(true));

        assertThat(session.probed(socket), is(true));
        assertThat("the probe releases the pending poll", poll.get(2, TimeUnit.SECONDS), contains("6"));
        session.send("42[\"queued\"]");
        assertThat(session.upgrade(socket), is(true));

        assertThat(session.forSocket(socket).packets(), contains("42[\"queued\"]"));
        assertThat(assertThrows(EngineError.Refusal.class, session::poll).error(), is(EngineError.BAD_REQUEST));
        assertThat(session.acceptsProbe(), is(false));
        assertThat(session.transportName(), is("websocket"));
    }

    @Test
    void aWebSocketIsWokenForEachPacketAndTakesEverythingQueuedInOneTurn() {
        EngineSession session = open(socket, CONFIG);
        int afterOpen = socket.wakes.get();
        assertThat("the open packet woke it", afterOpen, is(1));

        session.send("42[\"a\"]");
        session.send("42[\"b\"]");

        assertThat(socket.wakes.get(), is(3));
        assertThat(session.hasWorkFor(socket), is(true));
        assertThat(session.forSocket(socket).packets(), contains(startsWith("0{"), is("42[\"a\"]"),
                is("42[\"b\"]")));
        assertThat(session.forSocket(socket), is(Outgoing.IDLE));
        assertThat(session.hasWorkFor(socket), is(false));
        assertThat("another transport's writer stops", session.forSocket(polling), is(Outgoing.STOP));
    }

    @Test
    void upgradeNeedsTheProbeFirstAndOneProbeIsAnsweredOnce() throws Exception {
        EngineSession session = openAndDrain();
        session.beginProbe(socket);

        assertThat("5 before 2probe", session.upgrade(socket), is(false));
        assertThat(session.probed(socket), is(true));
        assertThat("a repeated 2probe is not answered again", session.probed(socket), is(false));
        assertThat(session.upgrade(socket), is(true));
    }

    @Test
    void pendingPollOfASessionTheServerEndsIsAnsweredWithClose() throws Exception {
        EngineConfig quick = new EngineConfig(Duration.ofMillis(50), Duration.ofMillis(50), 100,
                Duration.ofHours(1), 16, CONFIG.cors());
        EngineSession session = open(polling, quick);
        session.poll();
        CompletableFuture<List<String>> poll = pollInBackground(session);

        assertThat("the ping goes out on the pending poll", poll.get(2, TimeUnit.SECONDS), contains("2"));
        CompletableFuture<List<String>> next = pollInBackground(session);

        assertThat("no pong: the session ends and the poll says so", next.get(2, TimeUnit.SECONDS), contains("1"));
        assertThat(handler.closedFor.get(2, TimeUnit.SECONDS), is("ping_timeout"));
    }

    @Test
    void probeThatGoesAwayLeavesTheSessionOnPolling() throws Exception {
        EngineSession session = openAndDrain();
        session.beginProbe(socket);

        session.transportClosed(socket, "transport_closed");
        session.send("42[\"still here\"]");

        assertThat(session.poll(), contains("42[\"still here\"]"));
        assertThat(session.acceptsProbe(), is(true));
    }

    @Test
    void clientThatStopsReadingIsCutOffWhenItsQueueOverflows() throws Exception {
        EngineSession session = openAndDrain();
        for (int i = 0; i < CONFIG.outboxPackets(); i++) {
            assertThat(session.send("42[" + i + "]"), is(true));
        }

        assertThat(session.send("42[\"one too many\"]"), is(false));

        assertThat(handler.closedFor.get(2, TimeUnit.SECONDS), is("outbox_overflow"));
        assertThat(polling.aborted, is(true));
    }

    @Test
    void unansweredPingEndsTheSession() throws Exception {
        EngineConfig quick = new EngineConfig(Duration.ofMillis(50), Duration.ofMillis(50), 100,
                Duration.ofHours(1), 16, CONFIG.cors());
        EngineSession session = open(socket, quick);

        assertThat(handler.closedFor.get(3, TimeUnit.SECONDS), is("ping_timeout"));
        assertThat(session.forSocket(socket), is(Outgoing.CLOSE));
    }

    @Test
    void answeredPingsKeepTheSessionOpen() throws Exception {
        EngineConfig quick = new EngineConfig(Duration.ofMillis(50), Duration.ofMillis(100), 100,
                Duration.ofHours(1), 16, CONFIG.cors());
        EngineSession session = open(polling, quick);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < until) {
            for (String packet : session.poll()) {
                if (packet.equals("2")) {
                    session.receive("3");
                }
            }
        }

        assertThat(handler.closedFor.isDone(), is(false));
    }

    @Test
    void anAnsweredPingConfirmsThatThePacketsQueuedBeforeItWereReceived() throws Exception {
        EngineConfig pinging = new EngineConfig(Duration.ofMillis(100), Duration.ofHours(1), 100,
                Duration.ofHours(1), 16, CONFIG.cors());
        EngineSession session = open(polling, pinging);
        session.send("42[\"a\"]");
        session.send("42[\"b\"]");
        while (!session.poll().contains("2")) {
            Thread.onSpinWait();
        }
        session.send("42[\"c\"]");

        assertThat("nothing is confirmed before a pong", session.receivedCount(), is(0L));
        session.receive("3");

        assertThat("the open packet, a, b and the ping", session.receivedCount(), is(4L));
        assertThat(session.sentCount(), is(5L));
    }

    @Test
    void malformedPacketEndsTheSessionAndIsReportedToTheTransport() {
        EngineSession session = open(socket, CONFIG);

        assertThrows(MalformedPacketException.class, () -> session.receive("abc"));

        assertThat(handler.closedFor.join(), is("malformed_packet"));
    }

    @Test
    void oversizePacketTheHandlerDeclinesClosesTheSessionAfterAClosePacket() throws Exception {
        EngineSession session = open(socket, CONFIG);
        handler.takesOversize = false;

        session.receive("4" + "x".repeat(CONFIG.maxPayload()));

        assertThat(handler.closedFor.get(2, TimeUnit.SECONDS), is("payload_too_large"));
        List<String> last = session.forSocket(socket).packets();
        assertThat(last.getLast(), is("1"));
        assertThat("then the writer closes the socket", session.forSocket(socket), is(Outgoing.CLOSE));
    }

    @Test
    void messagesReachTheHandlerInOrder() throws Exception {
        EngineSession session = open(polling, CONFIG);

        session.receivePosted(List.of("4first", "3", "4second"));

        assertThat(handler.messages, contains("first", "second"));
    }

    private EngineSession open(Transport transport, EngineConfig config) {
        EngineSession session = new EngineSession("s1", config, scheduler, transport, ended::add, overflows::incrementAndGet);
        session.start(handler);
        return session;
    }

    private EngineSession openAndDrain() throws Exception {
        EngineSession session = open(polling, CONFIG);
        session.poll();
        return session;
    }

    private static CompletableFuture<List<String>> pollInBackground(EngineSession session) {
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                answer.complete(session.poll());
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private static final class FakeTransport implements Transport {
        private final boolean polling;
        volatile boolean aborted;
        volatile boolean closed;
        final AtomicInteger wakes = new AtomicInteger();

        FakeTransport(boolean polling) {
            this.polling = polling;
        }

        @Override
        public boolean polling() {
            return polling;
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    private static final class RecordingHandler implements EngineSession.Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> closedFor = new CompletableFuture<>();
        volatile boolean takesOversize = true;

        @Override
        public void onMessage(String data) {
            messages.add(data);
        }

        @Override
        public boolean onOversize(String packet) {
            return takesOversize;
        }

        @Override
        public void onClose(String reason) {
            closedFor.complete(reason);
        }
    }
}
