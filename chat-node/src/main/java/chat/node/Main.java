package chat.node;

import chat.common.JsonCodec;
import chat.common.telemetry.OtelTracer;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.Tracing;
import chat.node.api.ChatApi;
import chat.node.archive.ArchiveProducer;
import chat.node.auth.Tokens;
import chat.node.chat.ChatEvents;
import chat.node.chat.Client;
import chat.node.chat.ConnectionLog;
import chat.node.chat.Hub;
import chat.node.chat.Lobby;
import chat.node.chat.MessageSender;
import chat.node.chat.Node;
import chat.node.chat.Presence;
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

import java.util.List;

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
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .update(builder -> setup(builder, config))
                .build()
                .start();
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
        Tokens tokens = new Tokens(settings.authSecret());
        ArchiveProducer archive = new ArchiveProducer(new ArchiveProducer.Settings(settings.nodeId(),
                settings.kafkaBootstrap(), settings.messagesTopic(), settings.eventsTopic(),
                settings.topicPartitions(), settings.topicReplication(), settings.ackTimeout(),
                settings.kafkaProperties()), codec, telemetry);
        PostgresArchive archived = settings.dbUrl().isBlank() ? null : new PostgresArchive(settings.dbUrl(),
                settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(), codec);
        RedisRoomBus bus = new RedisRoomBus(settings.nodeId(), settings.redisUrl(), settings.redisPoolSize(),
                settings.redisTimeout(), settings.recentPerRoom(), codec);
        History history = new History(bus, archived);
        Hub hub = new Hub(bus);
        Node node = new Node(hub, bus, metrics, tracer, settings.recentPerRoom());
        bus.start(node);

        Presence presence = new Presence(codec);
        ConnectionLog log = new ConnectionLog(archive, settings.nodeId());
        MessageSender sender = new MessageSender(bus, archive, metrics, tracer, codec,
                new MessageSender.Limits(settings.maxTextLength(), settings.ackTimeout()));
        ChatEvents events = new ChatEvents(hub, bus, history, sender, presence, log, metrics, codec,
                new ChatEvents.Limits(settings.redisTimeout(), settings.joinMissedCap()));
        Lobby lobby = new Lobby(tokens, hub, bus, presence, log, metrics, codec.mapper(), settings.redisTimeout());
        Client.Limits limits = new Client.Limits(settings.messagesPerSecond(), settings.messageBurst());
        SocketIoServer socketIo = new SocketIoServer(settings.connectTimeout(), codec.mapper(),
                connection -> new Client(connection, lobby, events, limits));
        EngineServer engine = new EngineServer(EngineConfig.from(config.get("chat.engine"),
                settings.outboxFrames()), socketIo::attach);
        metrics.watchOpenSockets(engine::openSessions);

        server.addRouting(WsRouting.builder().update(engine::addTo));
        server.routing(routing -> routing
                .register(engine.polling())
                .register(new ChatApi(tokens, bus, history, codec,
                        new ChatApi.DevTokens(settings.devTokens(), settings.devTokenTtl())))
                // Stopped in this order: sessions first (they still publish presence), the archive last.
                .register(new StopHook(List.of(engine, socketIo, bus, archive,
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
                                .status(bus.connected() && archive.healthy())
                                .detail("redis", bus.connected())
                                .detail("sockets", engine.openSessions())
                                .build(), HealthCheckType.READINESS, "chat-node")
                        .build())
                .addObserver(MetricsObserver.create())
                .build());
        return new Parts(node, engine);
    }

    /**
     * What tests look into of a running node.
     *
     * @param node   the bus listener and fan-out
     * @param engine the Engine.IO server and its sessions
     */
    public record Parts(Node node, EngineServer engine) {
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
