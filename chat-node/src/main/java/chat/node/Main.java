package chat.node;

import chat.common.JsonCodec;
import chat.common.telemetry.OtelTracer;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.Tracing;
import chat.node.api.ChatApi;
import chat.node.archive.ArchiveProducer;
import chat.node.auth.Tokens;
import chat.node.chat.Node;
import chat.node.fanout.RedisRoomBus;
import chat.node.history.History;
import chat.node.history.PostgresArchive;
import chat.node.telemetry.NodeMetrics;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsRouting;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Starts a chat node: Socket.IO over WebSocket at {@code /socket.io/}, the HTTP API, health and metrics.
 */
public final class Main {
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
                + " listening on http://localhost:" + server.port());
    }

    /** Wires a node into the server builder; tests build their nodes through this very method. */
    public static Node setup(WebServerConfig.Builder server, Config config) {
        NodeConfig settings = NodeConfig.from(config);
        return setup(server, settings, Tracing.start("chat-node", settings.tracingEndpoint(),
                settings.tracingRatio()));
    }

    /** Wires a node with the given OpenTelemetry (tests pass one that records spans in memory). */
    public static Node setup(WebServerConfig.Builder server, Config config, OpenTelemetry telemetry) {
        return setup(server, NodeConfig.from(config), telemetry);
    }

    private static Node setup(WebServerConfig.Builder server, NodeConfig settings, OpenTelemetry telemetry) {
        // Helidon's own tracing API (io.helidon.tracing) records into the same SDK as the node's spans.
        io.helidon.tracing.Tracer.global(OtelTracer.create(telemetry));
        JsonCodec codec = new JsonCodec();
        ArchiveProducer archive = new ArchiveProducer(new ArchiveProducer.Settings(settings.nodeId(),
                settings.kafkaBootstrap(), settings.messagesTopic(), settings.eventsTopic(),
                settings.topicPartitions(), settings.topicReplication(), settings.ackTimeout(),
                settings.kafkaProperties()), codec, telemetry);
        PostgresArchive archived = settings.dbUrl().isBlank() ? null : new PostgresArchive(settings.dbUrl(),
                settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(), codec);
        Node node = new Node(settings, codec, new Tokens(settings.authSecret()),
                listener -> new RedisRoomBus(settings.nodeId(), settings.redisUrl(), settings.redisPoolSize(), settings.redisTimeout(),
                        settings.recentPerRoom(), codec, listener),
                archive,
                bus -> new History(bus, archived),
                new NodeMetrics(Metrics.globalRegistry()),
                telemetry.getTracer(SpanNames.SCOPE));
        server.addRouting(WsRouting.builder()
                .endpoint("/socket.io/", node::newClient)
                .endpoint("/socket.io", node::newClient));
        server.routing(routing -> routing.register(new ChatApi(node, archived)));
        server.addFeature(StaticContentFeature.create(content -> content
                .addClasspath(page -> page.location("web").welcome("index.html"))));
        server.addFeature(ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> HealthCheckResponse.builder()
                                .status(node.ready())
                                .detail("redis", node.bus().connected())
                                .detail("sockets", node.openSockets())
                                .build(), HealthCheckType.READINESS, "chat-node")
                        .build())
                .addObserver(MetricsObserver.create())
                .build());
        return node;
    }
}
