package chat.node.observe;

import chat.node.Main;
import chat.node.auth.TokenSigner;
import chat.node.support.SioClient;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat nodes started in this JVM through {@link Main#setup(io.helidon.webserver.WebServerConfig.Builder, Config,
 * OpenTelemetry)} with the OpenTelemetry the caller chose, so tests and benchmarks decide how spans are sampled
 * and where they go.
 */
final class TracedNodes implements AutoCloseable {
    static final String SECRET = "observe-secret-for-chat-nodes-0123456789";

    private final List<WebServer> servers = new ArrayList<>();
    private final TokenSigner tokens = new TokenSigner(SECRET);

    /**
     * @param redisUrl       Redis of the cluster
     * @param kafkaBootstrap Kafka of the cluster
     * @param overrides      {@code chat.*} settings on top of application.yaml, e.g. topics or limits
     */
    static TracedNodes start(int count, String redisUrl, String kafkaBootstrap, Map<String, String> overrides,
                             OpenTelemetry telemetry) {
        TracedNodes nodes = new TracedNodes();
        for (int i = 0; i < count; i++) {
            Map<String, String> settings = new HashMap<>();
            settings.put("server.port", "0");
            settings.put("server.host", "127.0.0.1");
            settings.put("server.sockets.management.port", "0");
            settings.put("server.sockets.management.host", "127.0.0.1");
            settings.put("chat.node.id", "node-" + (i + 1));
            settings.put("chat.redis.url", redisUrl);
            settings.put("chat.kafka.bootstrap", kafkaBootstrap);
            settings.put("chat.auth.secret", SECRET);
            settings.putAll(overrides);
            Config config = Config.builder()
                    .sources(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"))
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .build();
            nodes.servers.add(WebServer.builder()
                    .config(config.get("server"))
                    .update(builder -> Main.setup(builder, config, telemetry))
                    .build()
                    .start());
        }
        return nodes;
    }

    int size() {
        return servers.size();
    }

    int port(int index) {
        return servers.get(index).port();
    }

    /** The port of node {@code index} that serves {@code /observe}: health and metrics. */
    int managementPort(int index) {
        return servers.get(index).port(Main.MANAGEMENT_SOCKET);
    }

    String token(String user) {
        return tokens.issue(user, user, false, Duration.ofHours(1));
    }

    String adminToken(String user) {
        return tokens.issue(user, user, true, Duration.ofHours(1));
    }

    /** A raw Socket.IO client of {@code user}, connected to node {@code index}. */
    SioClient connect(int index, String user) {
        return SioClient.connected(port(index), token(user));
    }

    @Override
    public void close() {
        servers.forEach(WebServer::stop);
    }
}
