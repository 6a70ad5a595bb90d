package chat.node;

import chat.common.JsonCodec;
import chat.common.telemetry.OtelTracer;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.Tracing;
import chat.node.api.ChatApi;
import chat.node.archive.ArchiveProducer;
import chat.node.auth.TokenSigner;
import chat.node.auth.TokenVerifier;
import chat.node.chat.ChatEvents;
import chat.node.chat.Client;
import chat.node.chat.Erasure;
import chat.node.chat.ConnectionLog;
import chat.node.chat.Hub;
import chat.node.chat.Lobby;
import chat.node.chat.MessageEditor;
import chat.node.chat.MessageSender;
import chat.node.chat.Node;
import chat.node.chat.Offsets;
import chat.node.chat.Presence;
import chat.node.chat.PresenceKeeper;
import chat.node.chat.ReadMarkers;
import chat.node.chat.Rejoin;
import chat.node.chat.PrivateRooms;
import chat.node.chat.Removals;
import chat.node.chat.RoomAccess;
import chat.node.chat.SessionExpiry;
import chat.node.chat.SessionRecovery;
import chat.node.engineio.AddressLimit;
import chat.node.engineio.EngineConfig;
import chat.node.engineio.EngineServer;
import chat.node.fanout.RedisRoomBus;
import chat.node.history.History;
import chat.node.history.PostgresArchive;
import chat.node.socketio.SocketIoServer;
import chat.node.telemetry.NodeMetrics;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsRouting;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts a chat node: Socket.IO over WebSocket and HTTP long-polling at {@code /socket.io/}, the HTTP API and the
 * chat page on the public port; health and metrics on the management port.
 */
public final class Main {
    /**
     * The named socket ({@code server.sockets.management}) that alone serves {@code /observe}: metrics and health
     * details are for Prometheus and the orchestrator, not for whoever reaches the public port.
     */
    public static final String MANAGEMENT_SOCKET = "management";

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        Parts[] parts = new Parts[1];
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                // SIGTERM drains first (see Drain); Helidon's own hook would stop the listeners at once.
                .shutdownHook(false)
                .update(builder -> parts[0] = setup(builder, config))
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0 || server.port(MANAGEMENT_SOCKET) <= 0) {
            LOG.log(System.Logger.Level.ERROR, "could not listen on port " + config.get("server.port").asInt()
                    .orElse(8080) + " or on the management port " + config.get("server.sockets.management.port")
                    .asInt().orElse(9080) + "; exiting");
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            parts[0].drain().run();
            server.stop();
        }, "drain"));
        LOG.log(System.Logger.Level.INFO, "chat node " + config.get("chat.node.id").asString().orElse("")
                + " listening on http://localhost:" + server.port() + ", health and metrics on http://localhost:"
                + server.port(MANAGEMENT_SOCKET) + "/observe");
    }

    /** Wires a node into the server builder; tests build their nodes through this very method. */
    public static Parts setup(WebServerConfig.Builder server, Config config) {
        NodeConfig settings = NodeConfig.from(config);
        return setup(server, config, settings, Tracing.start("chat-node", settings.tracingEndpoint(),
                settings.tracingRatio()));
    }

    /** Wires a node with the given OpenTelemetry (tests pass one that records spans in memory). */
    public static Parts setup(WebServerConfig.Builder server, Config config, OpenTelemetry telemetry) {
        return setup(server, config, NodeConfig.from(config), telemetry);
    }

    private static Parts setup(WebServerConfig.Builder server, Config config, NodeConfig settings,
                               OpenTelemetry telemetry) {
        // Helidon's own tracing API (io.helidon.tracing) records into the same SDK as the node's spans.
        io.helidon.tracing.Tracer.global(OtelTracer.create(telemetry));
        JsonCodec codec = new JsonCodec();
        Tracer tracer = telemetry.getTracer(SpanNames.SCOPE);
        NodeMetrics metrics = new NodeMetrics(Metrics.globalRegistry());
        ResourceLimits caps = ResourceLimits.from(config);
        TokenVerifier tokens = new TokenVerifier(settings.auth());
        ArchiveProducer archive = new ArchiveProducer(new ArchiveProducer.Settings(settings.nodeId(),
                settings.kafkaBootstrap(), settings.messagesTopic(), settings.eventsTopic(),
                settings.topicPartitions(), settings.topicReplication(), settings.ackTimeout(),
                settings.kafkaProperties()), codec, telemetry);
        PostgresArchive archived = settings.dbUrl().isBlank() ? null : new PostgresArchive(settings.dbUrl(),
                settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(), codec);
        RedisRoomBus bus = new RedisRoomBus(settings.nodeId(), settings.redisUrl(), settings.redisCluster(),
                settings.redisPoolSize(), settings.redisTimeout(), settings.redisReplicas(), settings.recentPerRoom(),
                codec);
        History history = new History(bus, archived, codec);
        RoomAccess access = new RoomAccess(bus.members(), archived, metrics);
        Hub hub = new Hub(bus, caps.socketsPerUser());
        Presence presence = new Presence(bus, hub, codec);
        ConnectionLog log = new ConnectionLog(archive, settings.nodeId());
        SessionRecovery.Settings recoverySettings = SessionRecovery.Settings.of(settings.recoveryWindow(),
                settings.joinMissedCap(), settings.outboxFrames());
        Offsets offsets = new Offsets(recoverySettings.enabled());
        Node node = new Node(hub, bus, presence, metrics, tracer, settings.recentPerRoom(), offsets,
                new Removals(hub, bus, access, presence, log, metrics, codec));
        bus.start(node);

        PresenceKeeper keeper = new PresenceKeeper(bus, presence,
                Duration.ofMillis(config.get("chat.presence.nodettl").asLong().get())).start();
        MessageSender.Limits messageLimits = new MessageSender.Limits(settings.maxTextLength(), settings.ackTimeout());
        MessageSender sender = new MessageSender(bus, archive, metrics, tracer, codec, messageLimits);
        MessageEditor editor = new MessageEditor(bus, archive, history, metrics, tracer, codec, messageLimits);
        ReadMarkers markers = new ReadMarkers(bus, history, archived, archive, metrics, tracer, codec,
                new ReadMarkers.Limits(settings.ackTimeout(), settings.joinMissedCap()));
        SessionExpiry expiry = new SessionExpiry(tokens, settings.auth().clockSkew(), codec);
        PrivateRooms rooms = new PrivateRooms(access, bus.members(), bus, archive, metrics, tracer, codec,
                new PrivateRooms.Limits(caps.groupMembers(), settings.ackTimeout()));
        ChatEvents events = new ChatEvents(hub, bus, access, rooms, history, sender, editor, markers, presence, log,
                expiry, metrics, codec, new ChatEvents.Limits(settings.redisTimeout(), settings.joinMissedCap()));
        SessionRecovery recovery = new SessionRecovery(recoverySettings, bus.sessions(),
                new Rejoin(hub, bus, access, history, presence, log, codec, offsets, settings.redisTimeout()), metrics,
                codec);
        Lobby lobby = new Lobby(tokens, expiry, hub, presence, log, metrics, codec.mapper(),
                settings.redisTimeout(), recovery);
        Client.Limits limits = new Client.Limits(settings.messagesPerSecond(), settings.messageBurst(),
                caps.roomsPerSocket(), caps.typingPerSecond(), caps.typingBurst());
        SocketIoServer socketIo = new SocketIoServer(settings.connectTimeout(), codec.mapper(),
                connection -> new Client(connection, lobby, events, limits));
        AddressLimit addresses = new AddressLimit(caps.connectionsPerAddress(), caps.trustedProxies(),
                () -> metrics.refused(NodeMetrics.REFUSED_ADDRESS));
        EngineServer engine = new EngineServer(EngineConfig.from(config.get("chat.engine"),
                settings.outboxFrames()), addresses, metrics::overflowDisconnect, socketIo::attach);
        metrics.watchOpenSockets(engine::openSessions);
        Drain drain = new Drain(engine, events, Drain.Settings.from(config.get("chat.shutdown")));
        BooleanSupplier ready = () -> !drain.draining() && bus.connected() && archive.healthy();
        metrics.watchReadiness(ready);

        server.addRouting(WsRouting.builder().update(engine::addTo));
        server.routing(routing -> routing
                .addFilter(drain)
                .addFilter(addresses)
                .register(engine.polling())
                .register(new ChatApi(tokens, bus, access, history,
                        new Erasure(history, editor, archive, metrics, settings.ackTimeout().multipliedBy(2)), codec,
                        devTokens(settings),
                        new ChatApi.Limits(caps.apiPerSecond(), caps.apiBurst(), caps.apiBody()), metrics))
                // Stopped in this order: sessions first (they still publish presence), the archive last.
                .register(new StopHook(List.of(engine, socketIo, expiry, keeper, tokens, bus, archive,
                        archived == null ? () -> { } : archived))));
        server.addFeature(StaticContentFeature.create(content -> content
                .addClasspath(page -> page.location("web").welcome("index.html"))));
        if (!server.sockets().containsKey(MANAGEMENT_SOCKET)) {
            // A builder made without the server's configuration (a test's) still gets the configured socket.
            server.putSocket(MANAGEMENT_SOCKET, socket -> socket
                    .config(config.get("server.sockets." + MANAGEMENT_SOCKET))
                    .name(MANAGEMENT_SOCKET));
        }
        server.addFeature(ObserveFeature.builder()
                .sockets(List.of(MANAGEMENT_SOCKET))
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> HealthCheckResponse.builder()
                                .status(ready.getAsBoolean())
                                .detail("draining", drain.draining())
                                .detail("redis", bus.connected())
                                .detail("sockets", engine.openSessions())
                                .build(), HealthCheckType.READINESS, "chat-node")
                        .build())
                .addObserver(MetricsObserver.create())
                .build());
        return new Parts(node, engine, drain);
    }

    private static ChatApi.DevTokens devTokens(NodeConfig settings) {
        if (!settings.devTokens()) {
            return ChatApi.DevTokens.DISABLED;
        }
        if (settings.auth().secret() == null) {
            throw new IllegalStateException("dev tokens (chat.auth.devtokens) are signed with chat.auth.secret: set it");
        }
        return new ChatApi.DevTokens(new TokenSigner(settings.auth()), settings.devTokenTtl(),
                settings.devTokenAdmin());
    }

    /**
     * What tests look into of a running node.
     *
     * @param node   the bus listener and fan-out
     * @param engine the Engine.IO server and its sessions
     * @param drain  what SIGTERM runs before the server stops
     */
    public record Parts(Node node, EngineServer engine, Drain drain) {
    }

    /** Closes the node's parts when the server stops. */
    private record StopHook(List<AutoCloseable> parts) implements HttpService {
        @Override
        public void routing(HttpRules rules) {
        }

        @Override
        public void afterStop() {
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "stopping " + part.getClass().getSimpleName() + " failed", e);
                }
            }
        }
    }
}
