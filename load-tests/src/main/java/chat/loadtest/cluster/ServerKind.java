package chat.loadtest.cluster;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The two servers the load tests run: a chat node from its jar, and the Socket.IO baseline under Node.js. */
public enum ServerKind {
    CHAT_NODE("chat node", "/observe/health/ready"),
    SOCKET_IO("Socket.IO", "/health");

    /** Heap of a node under test: room for many sockets, far below the machine so that four fit beside the stack. */
    private static final String NODE_HEAP = "-Xmx1g";

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
     * @param port           the port clients connect to
     * @param managementPort the chat node's management port (unused by the baseline)
     */
    public URI health(int port, int managementPort) {
        int healthPort = this == CHAT_NODE ? managementPort : port;
        return URI.create("http://127.0.0.1:" + healthPort + healthPath);
    }

    /**
     * The command of one server. A chat node runs under local-stack's {@code OrphanGuard}, so that it ends with
     * this JVM even when this JVM is killed; the baseline ends when its standard input (a pipe from this JVM) closes.
     *
     * @param app the chat node's jar, or the baseline's folder
     */
    public List<String> command(Path app) {
        return switch (this) {
            case CHAT_NODE -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    NODE_HEAP, "-cp", app + File.pathSeparator + localStackClasses(),
                    "chat.stack.OrphanGuard", Long.toString(ProcessHandle.current().pid()), "chat.node.Main");
            case SOCKET_IO -> List.of("node", app.resolve("server.js").toString());
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
            case SOCKET_IO -> {
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

    private static String localStackClasses() {
        try {
            return Path.of(chat.stack.OrphanGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("local-stack is not on a file path", e);
        }
    }
}
