package chat.loadtest.cluster;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers the load tests run: a chat node and the archiver from their jars, and the Socket.IO baseline under
 * Node.js with either Redis adapter.
 */
public enum ServerKind {
    CHAT_NODE("chat node", "/observe/health/ready"),
    ARCHIVER("archiver", "/observe/health/ready"),
    /** The baseline with {@code createAdapter}: every node receives every room's messages from Redis. */
    SOCKET_IO("Socket.IO (classic adapter)", "/health"),
    /** The baseline with {@code createShardedAdapter}: a node receives only the rooms it has sockets in. */
    SOCKET_IO_SHARDED("Socket.IO (sharded adapter)", "/health");

    /** Heap of a node under test: room for many sockets, far below the machine so that four fit beside the stack. */
    private static final String NODE_HEAP = "-Xmx1g";
    /** The archiver holds one batch of records at a time. */
    private static final String ARCHIVER_HEAP = "-Xmx384m";

    private final String label;
    private final String healthPath;

    ServerKind(String label, String healthPath) {
        this.label = label;
        this.healthPath = healthPath;
    }

    public String label() {
        return label;
    }

    /**
     * Where the server says it is ready: a chat node serves its health on the management port only.
     *
     * @param port           the port clients connect to (the archiver's only port)
     * @param managementPort the chat node's management port (unused by the others)
     */
    public URI health(int port, int managementPort) {
        int healthPort = this == CHAT_NODE ? managementPort : port;
        return URI.create("http://127.0.0.1:" + healthPort + healthPath);
    }

    /**
     * Where the server counts the pub/sub frames it received from Redis, which {@link RedisFrames#received} reads:
     * the baseline's JSON {@code /stats}, or a chat node's Prometheus metrics on its management port.
     *
     * @param port           the port clients connect to
     * @param managementPort the chat node's management port (unused by the baseline)
     * @throws UnsupportedOperationException for the archiver, which reads no Redis pub/sub
     */
    public URI stats(int port, int managementPort) {
        return switch (this) {
            case CHAT_NODE -> URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics");
            case SOCKET_IO, SOCKET_IO_SHARDED -> URI.create("http://127.0.0.1:" + port + "/stats");
            case ARCHIVER -> throw new UnsupportedOperationException("The archiver reads no Redis pub/sub");
        };
    }

    /**
     * The command of one server. A chat node and the archiver run under local-stack's {@code OrphanGuard}, so that
     * they end with this JVM even when this JVM is killed; the baseline ends when its standard input (a pipe from this
     * JVM) closes.
     *
     * @param app the chat node's or the archiver's jar, or the baseline's folder
     */
    public List<String> command(Path app) {
        return switch (this) {
            case CHAT_NODE -> guarded(app, NODE_HEAP, "chat.node.Main");
            case ARCHIVER -> guarded(app, ARCHIVER_HEAP, "chat.archiver.Main");
            case SOCKET_IO, SOCKET_IO_SHARDED -> List.of("node", app.resolve("server.js").toString());
        };
    }

    /** The environment of one server, in the variables each reads. */
    public Map<String, String> environment(String id, int port, int managementPort, ClusterSettings cluster) {
        Map<String, String> env = new HashMap<>();
        switch (this) {
            case CHAT_NODE -> {
                env.put("SERVER_PORT", Integer.toString(port));
                env.put("SERVER_HOST", "127.0.0.1");
                env.put("SERVER_SOCKETS_MANAGEMENT_PORT", Integer.toString(managementPort));
                env.put("SERVER_SOCKETS_MANAGEMENT_HOST", "127.0.0.1");
                env.put("CHAT_NODE_ID", id);
                env.put("CHAT_REDIS_URL", cluster.redisUrl());
                env.put("CHAT_KAFKA_BOOTSTRAP", cluster.kafkaBootstrap());
                env.put("CHAT_AUTH_SECRET", cluster.authSecret());
                env.put("CHAT_DB_URL", cluster.databaseUrl());
                env.put("CHAT_DB_USER", cluster.databaseUser());
                env.put("CHAT_DB_PASSWORD", cluster.databasePassword());
                // The load sets its own pace; the per-connection limit would only turn it into rate_limited acks.
                env.put("CHAT_LIMITS_RATEPERSECOND", "1000");
                env.put("CHAT_LIMITS_BURST", "2000");
                // Every virtual user connects from 127.0.0.1; the per-address cap would refuse all past the first 1000.
                env.put("CHAT_LIMITS_CONNECTIONSPERADDRESS", "0");
            }
            case ARCHIVER -> {
                env.put("SERVER_PORT", Integer.toString(port));
                env.put("SERVER_HOST", "127.0.0.1");
                env.put("CHAT_KAFKA_BOOTSTRAP", cluster.kafkaBootstrap());
                env.put("CHAT_DB_URL", cluster.databaseUrl());
                env.put("CHAT_DB_USER", cluster.databaseUser());
                env.put("CHAT_DB_PASSWORD", cluster.databasePassword());
            }
            case SOCKET_IO, SOCKET_IO_SHARDED -> {
                env.put("ADAPTER", this == SOCKET_IO ? "classic" : "sharded");
                env.put("PORT", Integer.toString(port));
                env.put("NODE_ID", id);
                env.put("REDIS_URL", cluster.redisUrl());
                env.put("KAFKA_BOOTSTRAP", cluster.kafkaBootstrap());
                env.put("AUTH_SECRET", cluster.authSecret());
                env.put("EXIT_WITH_PARENT", "true");
            }
        }
        return env;
    }

    private static List<String> guarded(Path jar, String heap, String mainClass) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-cp", jar + File.pathSeparator + localStackClasses(),
                "chat.stack.OrphanGuard", Long.toString(ProcessHandle.current().pid()), mainClass);
    }

    private static String localStackClasses() {
        try {
            return Path.of(chat.stack.OrphanGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("local-stack is not on a file path", e);
        }
    }
}
