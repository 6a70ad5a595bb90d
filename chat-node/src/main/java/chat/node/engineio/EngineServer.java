package chat.node.engineio;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.websocket.WsRouting;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * The Engine.IO v4 server of a node: its sessions by sid, the WebSocket endpoint and the polling endpoint at
 * {@code /socket.io/}, and the one scheduler that runs every session's heartbeat.
 */
public final class EngineServer implements AutoCloseable {
    /** Where clients connect, with and without the trailing slash that socket.io-client sends. */
    public static final List<String> PATHS = List.of("/socket.io/", "/socket.io");

    private final EngineConfig config;
    private final AddressLimit addresses;
    private final Function<EngineSession, EngineSession.Handler> handlers;
    private final Runnable onOverflow;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("engine-heartbeat").daemon().factory());

    /**
     * @param addresses  caps the sessions of each client address
     * @param onOverflow told of each session cut off for not reading its packets
     * @param handlers   makes the layer above (Socket.IO) for each new session
     */
    public EngineServer(EngineConfig config, AddressLimit addresses, Runnable onOverflow,
                        Function<EngineSession, EngineSession.Handler> handlers) {
        // A cancelled heartbeat or deadline would otherwise keep its ended session reachable until it was due.
        scheduler.setRemoveOnCancelPolicy(true);
        this.config = config;
        this.addresses = addresses;
        this.handlers = handlers;
        this.onOverflow = onOverflow;
    }

    /** Adds the WebSocket endpoint; the polling endpoint is {@link #polling()}. */
    public void addTo(WsRouting.Builder routing) {
        for (String path : PATHS) {
            routing.endpoint(path, () -> new WebSocketTransport(this));
        }
    }

    /** The HTTP long-polling endpoint, to register on the server's routing. */
    public PollingService polling() {
        return new PollingService(this, config);
    }

    EngineConfig config() {
        return config;
    }

    AddressLimit addresses() {
        return addresses;
    }

    /**
     * Starts a new session of client {@code address} on {@code transport}: registered, open packet queued,
     * heartbeat running.
     *
     * @return the session, or empty when the address holds as many sessions as it may
     */
    Optional<EngineSession> open(Transport transport, String address) {
        if (!addresses.tryOpen(address)) {
            return Optional.empty();
        }
        EngineSession session = new EngineSession(newSid(), config, scheduler, transport, ended -> {
            sessions.remove(ended.sid(), ended);
            addresses.closed(address);
        }, onOverflow);
        sessions.put(session.sid(), session);
        session.start(handlers.apply(session));
        return Optional.of(session);
    }

    Optional<EngineSession> find(String sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    /** Sessions open now, on either transport, connected at the Socket.IO level or not. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Checks the query of a request for transport {@code expected}.
     *
     * @return why it is refused, or null when it is an Engine.IO v4 request for that transport
     */
    static EngineError refusal(Optional<String> eio, Optional<String> transport, String expected) {
        if (transport.isEmpty() || !expected.equals(transport.get())) {
            return EngineError.UNKNOWN_TRANSPORT;
        }
        if (eio.isEmpty() || !"4".equals(eio.get())) {
            return EngineError.UNSUPPORTED_PROTOCOL_VERSION;
        }
        return null;
    }

    /** Whether the request opens a new Engine.IO session (no {@code sid}), on either transport. */
    public static boolean isHandshake(ServerRequest req) {
        return PATHS.contains(req.path().rawPath()) && !req.query().contains("sid");
    }

    private String newSid() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Closes every session gracefully: clients get what was queued, then a close packet, and reconnect. */
    public void closeSessions(String reason) {
        for (EngineSession session : List.copyOf(sessions.values())) {
            session.close(reason);
        }
    }

    /** Closes every session (clients see a close packet) and stops the heartbeat. */
    @Override
    public void close() {
        closeSessions("server_shutdown");
        scheduler.shutdown();
    }
}
