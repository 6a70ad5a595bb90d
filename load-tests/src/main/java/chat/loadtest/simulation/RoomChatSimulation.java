package chat.loadtest.simulation;

import chat.loadtest.measure.DeliveryLedger;
import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.measure.SendWindow;
import chat.loadtest.socketio.SocketIoFrames;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

/**
 * Users chat in rooms over Socket.IO: each connects to its node ({@link Placement}), joins its room, then sends
 * {@code ratePerUser} messages per second (each with a {@code cid}, each ack checked) while receiving everyone
 * else's. Users arrive at a fixed rate (open model); all send during the same window, so every member is in its
 * room before the first message and listens past the last. The {@link DeliveryLedger} measures end-to-end latency
 * and lost, duplicated and out-of-order deliveries across users; the summary goes to {@code summaryFile}.
 *
 * <p>Run against running nodes: {@code ./mvnw -pl load-tests gatling:test -Dgatling.simulationClass=
 * chat.loadtest.simulation.RoomChatSimulation -DwsBaseUrls=ws://127.0.0.1:8081,ws://127.0.0.1:8082
 * -DauthSecret=...}
 */
public final class RoomChatSimulation extends Simulation {

    /** Frames a user receives between two of its own sends: a room's traffic for a few seconds at most. */
    private static final int UNMATCHED_BUFFER = 20_000;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Duration DRAIN_POLL = Duration.ofMillis(250);

    private final RoomChatSettings settings = RoomChatSettings.fromSystemProperties();
    private final UserTokens tokens = new UserTokens(settings.authSecret());
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final SendWindow window = new SendWindow(settings.ramp(), SETTLE, settings.lead(), settings.send(), DRAIN);
    private final AtomicInteger arrivals = new AtomicInteger();

    {
        HttpProtocolBuilder protocol = http
                .wsAutoReplySocketIo4()
                .wsUnmatchedInboundMessageBufferSize(UNMATCHED_BUFFER);
        ScenarioBuilder chat = scenario("RoomChat")
                .exec(this::arrive)
                .exec(SocketIoSteps.connect(HANDSHAKE_TIMEOUT))
                .exitHereIfFailed()
                .exec(SocketIoSteps.join(HANDSHAKE_TIMEOUT))
                .exec(this::joined)
                .exitHereIfFailed()
                .pause(session -> Duration.ofMillis(window.millisUntilLeadStart() + randomPhase()))
                .asLongAs(session -> window.sending()).on(
                        pace(Duration.ofMillis(Math.round(1000 / settings.ratePerUser())))
                                // The pace may end after the window closed: nothing is sent outside it.
                                .doIf(session -> window.sending()).then(
                                        // Gatling empties its buffer of unmatched frames on every send: read it first.
                                        exec(ws.processUnmatchedMessages(this::receive))
                                                .exec(send())))
                .asLongAs(session -> window.draining()).on(
                        pause(DRAIN_POLL).exec(ws.processUnmatchedMessages(this::receive)))
                .exec(ws.processUnmatchedMessages(this::receive))
                .exec(ws("close").close());

        // Open model: users arrive at a fixed rate (users / ramp per second) whatever the cluster's answers.
        setUp(chat.injectOpen(rampUsers(settings.users()).during(settings.ramp())))
                .protocols(protocol)
                .assertions(
                        global().failedRequests().percent().lt(settings.maxErrorPercent()),
                        details("message ack").responseTime().percentile(99.0).lt((int) settings.p99Millis()));
    }

    @Override
    public void before() {
        window.start();
    }

    @Override
    public void after() {
        RoomChatSummary summary = ledger.summarize(new RoomChatSummary.Run(settings.wsBaseUrls().size(),
                settings.users(), settings.roomSize(), settings.placement().name().toLowerCase(),
                settings.offeredRate(), settings.p99Millis(), settings.maxErrorPercent()), window);
        summary.write(settings.summaryFile());
        System.out.println("RoomChat: " + summary.oneLine());
    }

    private Session arrive(Session session) {
        int index = arrivals.getAndIncrement();
        ledger.arrived();
        String user = settings.user(index);
        return session.setAll(Map.of(
                "index", index,
                "user", user,
                "room", settings.room(index),
                "endpoint", SocketIoFrames.endpoint(settings.node(index)),
                "connectFrame", SocketIoFrames.connect(tokens.tokenFor(user)),
                "joinFrame", SocketIoFrames.join(settings.room(index)),
                "ackId", 0,
                "sent", 0));
    }

    private Session joined(Session session) {
        if (!session.isFailed()) {
            ledger.joined(session.getInt("index"), session.getString("room"),
                    Long.parseLong(session.getString("joinSeq")));
        }
        return session;
    }

    /** A random start within one send interval, so that users do not send in lockstep. */
    private long randomPhase() {
        return ThreadLocalRandom.current().nextLong(Math.max(1, Math.round(1000 / settings.ratePerUser())));
    }

    private ChainBuilder send() {
        return exec(session -> {
            int ackId = SocketIoFrames.nextMessageAckId(session.getInt("ackId"));
            int sent = session.getInt("sent") + 1;
            long now = System.currentTimeMillis();
            ledger.sent();
            return session.remove("ackSeq").setAll(Map.of(
                    "ackId", ackId,
                    "sent", sent,
                    "sentAt", now,
                    "frame", SocketIoFrames.message(ackId, session.getString("room"),
                            "c" + session.getString("user") + "-" + sent, now, settings.textLength())));
        })
                .exec(SocketIoSteps.message(settings.ackTimeout(), this::receiveWhileAwaiting))
                .exec(session -> {
                    if (!session.isFailed() && session.contains("ackSeq")) {
                        long now = System.currentTimeMillis();
                        ledger.acked(session.getString("room"), Long.parseLong(session.getString("ackSeq")),
                                TimeUnit.MILLISECONDS.toMicros(now - session.getLong("sentAt")), window.measures(now));
                    } else {
                        ledger.ackFailed();
                    }
                    return session.markAsSucceeded();
                });
    }

    private void receiveWhileAwaiting(String frame, Session session) {
        SocketIoFrames.delivery(frame).ifPresent(delivery -> ledger.received(session.getInt("index"),
                session.getString("user"), delivery, System.currentTimeMillis(), window));
    }

    private Session receive(List<WsInboundMessage> frames, Session session) {
        int index = session.getInt("index");
        String self = session.getString("user");
        for (WsInboundMessage frame : frames) {
            if (frame instanceof WsInboundMessage.Text text) {
                SocketIoFrames.delivery(text.message())
                        .ifPresent(delivery -> ledger.received(index, self, delivery, text.timestamp(), window));
            }
        }
        return session;
    }
}
