package chat.node;

import chat.node.chat.ChatEvents;
import chat.node.engineio.EngineCodec;
import chat.node.engineio.EngineError;
import chat.node.engineio.EngineServer;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;

/**
 * Takes a node out of service on SIGTERM, within a grace period that fits the orchestrator's (compose
 * {@code stop_grace_period}, Kubernetes {@code terminationGracePeriodSeconds}): readiness goes down first and new
 * sessions are refused, so load balancers send clients elsewhere; messages already accepted get their acks; then
 * every session is closed with an Engine.IO close, which makes {@code socket.io-client} reconnect, and the clients
 * rejoin with {@code since} on another node. What is left of the shutdown (presence, Kafka flush) follows when the
 * server stops.
 */
public final class Drain implements Filter {
    private static final System.Logger LOG = System.getLogger(Drain.class.getName());

    private final EngineServer engine;
    private final ChatEvents events;
    private final Settings settings;
    private volatile boolean draining;

    public Drain(EngineServer engine, ChatEvents events, Settings settings) {
        this.engine = engine;
        this.events = events;
        this.settings = settings;
    }

    /** Whether the node is leaving; readiness reports it. */
    public boolean draining() {
        return draining;
    }

    /** Refuses new Engine.IO sessions while draining, with 503 so that a client tries again, elsewhere. */
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (draining && EngineServer.isHandshake(req)) {
            res.status(Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(EngineCodec.error(EngineError.BAD_REQUEST, "This node is shutting down"));
            return;
        }
        chain.proceed();
    }

    /** Drains the node; returns when its sessions are closed or the grace period is used up. */
    public void run() {
        long deadline = System.nanoTime() + settings.grace().toNanos();
        draining = true;
        LOG.log(System.Logger.Level.INFO, "draining: not ready, " + engine.openSessions() + " sessions open");
        try {
            // Load balancers take a node out after their own readiness probe; until then they may still send one.
            Thread.sleep(Math.min(settings.readinessDelay().toMillis(), remainingMillis(deadline)));
            if (!events.drain(Duration.ofMillis(remainingMillis(deadline)))) {
                LOG.log(System.Logger.Level.WARNING, "draining: some messages were still waiting for Kafka");
            }
            engine.closeSessions("server_shutdown");
            while (engine.openSessions() > 0 && remainingMillis(deadline) > 0) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "drained: " + engine.openSessions() + " sessions left");
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /**
     * The {@code chat.shutdown} settings.
     *
     * @param grace          the whole drain at most; keep it below the orchestrator's grace period
     * @param readinessDelay how long the node stays up, unready, before closing sessions
     */
    public record Settings(Duration grace, Duration readinessDelay) {
        static Settings from(Config shutdown) {
            return new Settings(Duration.ofMillis(shutdown.get("grace").asLong().get()),
                    Duration.ofMillis(shutdown.get("readinessdelay").asLong().get()));
        }
    }
}
