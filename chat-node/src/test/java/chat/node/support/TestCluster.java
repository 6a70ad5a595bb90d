package chat.node.support;

import chat.node.Main;
import chat.node.auth.TokenSigner;
import chat.node.chat.Node;
import chat.node.engineio.EngineServer;
import chat.stack.TestStack;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat nodes started in the test JVM through {@link Main#setup}, against the test stack's real Redis and Kafka.
 */
public final class TestCluster implements AutoCloseable {
    public static final String SECRET = "test-secret-for-chat-nodes-0123456789";

    private final TestStack stack;
    private final Map<String, String> common;
    private final List<Member> members = new ArrayList<>();
    private final List<WebServer> archivers = new ArrayList<>();
    private final TokenSigner tokens = new TokenSigner(SECRET);
    private io.opentelemetry.api.OpenTelemetry telemetry;

    public TestCluster(TestStack stack, Map<String, String> overrides) {
        this.stack = stack;
        this.common = new HashMap<>(overrides);
    }

    public static TestCluster of(TestStack stack, int nodes) {
        return of(stack, nodes, Map.of());
    }

    public static TestCluster of(TestStack stack, int nodes, Map<String, String> overrides) {
        TestCluster cluster = new TestCluster(stack, overrides);
        for (int i = 0; i < nodes; i++) {
            cluster.start();
        }
        return cluster;
    }

    /**
     * A cluster, not started yet, whose nodes read history from the test database and produce to topics of their
     * own, which its archivers consume.
     */
    public static TestCluster archived(TestStack stack, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        String suffix = stack.uniqueName("t");
        settings.put("chat.kafka.topics.messages", "messages-" + suffix);
        settings.put("chat.kafka.topics.events", "events-" + suffix);
        settings.put("chat.kafka.topics.deadletter", "deadletter-" + suffix);
        settings.put("chat.kafka.group", "archiver-" + suffix);
        settings.put("chat.kafka.partitions", "4");
        settings.put("chat.db.url", stack.databaseUrl());
        settings.put("chat.db.user", stack.databaseUser());
        settings.put("chat.db.password", stack.databasePassword());
        settings.put("chat.db.poolsize", "4");
        settings.put("chat.archiver.batch.records", "5000");
        settings.put("chat.archiver.batch.wait", "20");
        settings.putAll(overrides);
        return new TestCluster(stack, settings);
    }

    /** {@link #archived} with an archiver and {@code nodes} nodes started. */
    public static TestCluster withArchive(TestStack stack, int nodes, Map<String, String> overrides) {
        TestCluster cluster = archived(stack, overrides);
        cluster.startArchiver();
        for (int i = 0; i < nodes; i++) {
            cluster.start();
        }
        return cluster;
    }

    /** Nodes and archivers started from now on trace with this OpenTelemetry instead of their configured one. */
    public TestCluster tracedBy(io.opentelemetry.api.OpenTelemetry openTelemetry) {
        this.telemetry = openTelemetry;
        return this;
    }

    /** Starts the archiver in this JVM with the cluster's settings (topics, group, database). */
    public WebServer startArchiver() {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("chat.kafka.bootstrap", stack.kafkaBootstrap());
        settings.putAll(common);
        Config config = Config.builder()
                .sources(ConfigSources.create(settings), ConfigSources.url(archiverDefaults()))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        WebServerConfig.Builder builder = WebServer.builder();
        if (telemetry == null) {
            chat.archiver.Main.setup(builder, config);
        } else {
            chat.archiver.Main.setup(builder, config, telemetry);
        }
        WebServer server = builder.build().start();
        archivers.add(server);
        awaitReady(server.port());
        return server;
    }

    /**
     * Waits until the archiver reports ready: its schema migrated and its consumer polling, so that a test's first
     * read of an archive table does not race the migrations.
     */
    private static void awaitReady(int port) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest ready = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            try {
                status = http.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                Thread.sleep(50);
            } catch (java.io.IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the archiver", e);
            }
        }
        throw new IllegalStateException("the archiver on port " + port + " was not ready within 60 s (last status "
                + status + ")");
    }

    /** The archiver's own application.yaml, which the node's shadows on the test class path. */
    private static java.net.URL archiverDefaults() {
        try {
            var found = TestCluster.class.getClassLoader().getResources("application.yaml");
            while (found.hasMoreElements()) {
                java.net.URL url = found.nextElement();
                if (url.toString().contains("archiver")) {
                    return url;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("the archiver's application.yaml is not on the test class path");
    }

    /** Stops the archivers started so far (the messages they have not written stay in Kafka). */
    public void stopArchivers() {
        archivers.forEach(WebServer::stop);
        archivers.clear();
    }

    /**
     * The configuration of a node named {@code nodeId} against the stack's Redis and Kafka, signing tokens with
     * {@link #SECRET} and issuing dev tokens: {@code overrides} over these settings over the node's application.yaml,
     * with no environment variables or system properties, so that a developer's shell cannot change a test.
     */
    public static Config nodeConfig(TestStack stack, String nodeId, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("server.sockets.management.port", "0");
        settings.put("server.sockets.management.host", "127.0.0.1");
        settings.put("chat.node.id", nodeId);
        settings.put("chat.redis.url", stack.redisUrl());
        settings.put("chat.kafka.bootstrap", stack.kafkaBootstrap());
        settings.put("chat.kafka.acktimeout", "5000");
        settings.put("chat.auth.secret", SECRET);
        settings.put("chat.auth.devtokens", "true");
        settings.putAll(overrides);
        return Config.builder()
                .sources(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    /** Starts one more node. */
    public Member start() {
        Config config = nodeConfig(stack, "node-" + (members.size() + 1), common);
        Main.Parts[] parts = new Main.Parts[1];
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .update(builder -> parts[0] = telemetry == null
                        ? Main.setup(builder, config)
                        : Main.setup(builder, config, telemetry))
                .build()
                .start();
        Member member = new Member(server, parts[0].node(), parts[0].engine());
        members.add(member);
        return member;
    }

    public Member node(int index) {
        return members.get(index);
    }

    public int port(int index) {
        return members.get(index).server().port();
    }

    /** The port of node {@code index} that serves {@code /observe}: health and metrics. */
    public int managementPort(int index) {
        return members.get(index).managementPort();
    }

    public String token(String user) {
        return tokens.issue(user, user.toUpperCase(), false, Duration.ofHours(1));
    }

    public String adminToken(String user) {
        return tokens.issue(user, user, true, Duration.ofHours(1));
    }

    /** Connects a raw Socket.IO client for {@code user} to node {@code index}. */
    public SioClient connect(int index, String user) {
        return SioClient.connected(port(index), token(user));
    }

    @Override
    public void close() {
        for (Member member : members) {
            member.server().stop();
        }
        stopArchivers();
    }

    /**
     * A running node.
     *
     * @param server its web server
     * @param node   the node's bus listener and fan-out
     * @param engine its Engine.IO server, with the sessions open on it
     */
    public record Member(WebServer server, Node node, EngineServer engine) {

        /** The port that serves {@code /observe}: health and metrics. */
        public int managementPort() {
            return server.port(Main.MANAGEMENT_SOCKET);
        }
    }
}
