package chat.loadtest.simulation;

import chat.loadtest.measure.ConnectionsSummary;
import chat.loadtest.measure.ProcessMemory;
import chat.loadtest.socketio.SocketIoFrames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

/**
 * Ramps idle Socket.IO sockets (connected, authenticated, answering pings, in no room) up to {@code connections},
 * dealt round-robin over the nodes at {@code arrivalRate} per second, holds them, and reports what they cost each
 * node: resident memory and, for a JVM, heap after a full GC, before the ramp and once all are open. Memory needs
 * the nodes' pids ({@code nodePids}, in the order of {@code wsBaseUrls}), so it runs on the nodes' machine.
 */
public final class ConnectionsSimulation extends Simulation {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Time for the last handshakes and for the JVM's buffers to settle before memory is read. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /** Well under the 20 s ping timeout; pongs themselves are sent by Gatling's Socket.IO auto-reply. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(5);

    private final List<String> nodes = SystemProperties.list("wsBaseUrls", "ws://127.0.0.1:8081");
    private final List<Long> pids = SystemProperties.list("nodePids", "").stream().map(Long::parseLong).toList();
    private final int connections = SystemProperties.integer("connections", 1000);
    private final double arrivalRate = SystemProperties.decimal("arrivalRate", 100);
    private final Duration hold = SystemProperties.seconds("holdSeconds", 20);
    private final Path summaryFile = SystemProperties.path("summaryFile", "target/connections-summary.json");
    private final UserTokens tokens = new UserTokens(SystemProperties.authSecret());
    private final Duration ramp = Duration.ofMillis(Math.round(connections * 1000 / arrivalRate));
    private final AtomicInteger arrivals = new AtomicInteger();
    private final AtomicLongArray connectedPerNode = new AtomicLongArray(nodes.size());
    private final List<ProcessMemory> before = new ArrayList<>();
    private final List<ProcessMemory> after = new ArrayList<>();
    private volatile long holdEnd;
    private Thread probe;

    {
        ScenarioBuilder idle = scenario("Connections")
                .exec(this::arrive)
                .exec(SocketIoSteps.connect(HANDSHAKE_TIMEOUT))
                .exitHereIfFailed()
                .exec(session -> {
                    connectedPerNode.incrementAndGet(session.getInt("node"));
                    return session;
                })
                .exec(asLongAs(session -> System.currentTimeMillis() < holdEnd).on(
                        pause(IDLE_POLL)
                                .exec(ws.processUnmatchedMessages((frames, session) -> session))))
                .exec(ws("close").close());
        setUp(idle.injectOpen(rampUsers(connections).during(ramp)))
                .protocols(http.wsAutoReplySocketIo4());
    }

    @Override
    public void before() {
        pids.forEach(pid -> before.add(ProcessMemory.of(pid)));
        long measureAt = System.currentTimeMillis() + ramp.toMillis() + SETTLE.toMillis();
        holdEnd = measureAt + hold.toMillis();
        probe = Thread.ofVirtual().name("memory-probe").start(() -> {
            try {
                Thread.sleep(Math.max(0, measureAt - System.currentTimeMillis()));
                pids.forEach(pid -> after.add(ProcessMemory.of(pid)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void after() {
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ConnectionsSummary.NodeMemory> memory = new ArrayList<>();
        for (int i = 0; i < pids.size() && i < after.size(); i++) {
            memory.add(new ConnectionsSummary.NodeMemory(nodes.get(i), connectedPerNode.get(i), before.get(i),
                    after.get(i)));
        }
        long connected = 0;
        for (int i = 0; i < nodes.size(); i++) {
            connected += connectedPerNode.get(i);
        }
        ConnectionsSummary summary = new ConnectionsSummary(connections, connected, arrivals.get() - connected,
                memory);
        summary.write(summaryFile);
        memory.forEach(node -> System.out.printf("Connections: %s held %d sockets: %.1f KiB RSS and %.1f KiB live "
                + "heap per socket%n", node.url(), node.sockets(), node.rssPerSocketKb(), node.liveHeapPerSocketKb()));
    }

    private Session arrive(Session session) {
        int index = arrivals.getAndIncrement();
        int node = index % nodes.size();
        String user = "conn-u" + index;
        return session.setAll(Map.of(
                "node", node,
                "endpoint", SocketIoFrames.endpoint(nodes.get(node)),
                "connectFrame", SocketIoFrames.connect(tokens.tokenFor(user))));
    }
}
