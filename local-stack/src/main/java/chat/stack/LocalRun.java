package chat.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * The one-command local run on a machine with only a JDK: Redis (16379), PostgreSQL (15432) and Kafka (19092,
 * controller 19093) as local processes keeping their data in {@code .local-data/} of the checkout, or on free ports
 * if those are taken; two chat nodes (8081, 8082) and the archiver (8090) as child JVMs. Ctrl-C stops the services
 * first, then Kafka, PostgreSQL and Redis.
 *
 * <p>Run from the checkout: {@code ./mvnw -q -DskipTests install && ./mvnw -q -pl local-stack exec:java}.
 */
public final class LocalRun {

    /** Fixed ports, away from the defaults, so that a Redis or PostgreSQL already on the machine does not clash. */
    static final StackPorts PREFERRED_PORTS = new StackPorts(16379, 15432, 19092, 19093);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        configureLogging();
        Path checkout = checkout();
        Path data = checkout.resolve(".local-data");
        Files.createDirectories(data.resolve("logs"));
        try (FileChannel lockFile = FileChannel.open(data.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("Another local run is using " + data + "; stop it first");
            }
            run(checkout, data);
        }
    }

    private static void run(Path checkout, Path data) throws InterruptedException {
        System.out.println("Starting Redis, PostgreSQL and Kafka in " + data + " ...");
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(data, true, availablePorts(), EnumSet.allOf(StackService.class));
        // java.util.logging is shut down by then, so the steps of the shutdown are told on stdout.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the services, then Kafka, PostgreSQL and Redis ...");
            stack.close();
            System.out.println("Everything is stopped; the data stays in " + data);
        }, "local-run-shutdown"));
        System.out.printf("Redis, PostgreSQL and Kafka are up after %.1f s%n", (System.nanoTime() - started) / 1e9);

        Map<String, String> environment = Map.of(
                "CHAT_REDIS_URL", stack.redis().url(),
                "CHAT_KAFKA_BOOTSTRAP", stack.kafka().bootstrap(),
                "CHAT_DB_URL", stack.postgres().jdbcUrl(),
                "CHAT_DB_USER", stack.postgres().user(),
                "CHAT_DB_PASSWORD", stack.postgres().password(),
                "CHAT_AUTH_DEVTOKENS", "true",
                // On this machine only: admin dev tokens let whoever tries the run send announcements.
                "CHAT_AUTH_DEVTOKENADMIN", "true",
                "CHAT_AUTH_SECRET", DevSecret.loadOrCreate(data.resolve("dev-secret")).value());
        LocalServices services = new LocalServices(ChildJvm.likeThisOne(), checkout, data.resolve("logs"));
        stack.closeFirst(services);
        services.start("node-1", "chat-node/target/chat-node.jar", 8081, 9081, node(environment, "node-1", 9081));
        services.start("node-2", "chat-node/target/chat-node.jar", 8082, 9082, node(environment, "node-2", 9082));
        // The archiver serves nothing but /observe, so its one port is its management port.
        services.start("archiver", "archiver/target/archiver.jar", 8090, 8090, environment);

        List<String> unhealthy = services.awaitHealthy(READY_TIMEOUT);
        int healthy = services.started().size() - unhealthy.size();
        System.out.println(new LocalRunBanner(stack, data, healthy, unhealthy).text());
        stack.awaitClose();
    }

    private static Map<String, String> node(Map<String, String> environment, String nodeId, int managementPort) {
        Map<String, String> node = new HashMap<>(environment);
        node.put("CHAT_NODE_ID", nodeId);
        node.put("SERVER_SOCKETS_MANAGEMENT_PORT", Integer.toString(managementPort));
        return node;
    }

    private static StackPorts availablePorts() {
        return new StackPorts(
                availablePort("Redis", PREFERRED_PORTS.redis()),
                availablePort("PostgreSQL", PREFERRED_PORTS.postgres()),
                availablePort("Kafka", PREFERRED_PORTS.kafka()),
                availablePort("Kafka's controller", PREFERRED_PORTS.kafkaController()));
    }

    private static int availablePort(String server, int preferred) {
        if (TcpPort.isFree(preferred)) {
            return preferred;
        }
        int free = TcpPort.free();
        System.out.printf("Note: port %d for %s is taken; using %d instead%n", preferred, server, free);
        return free;
    }

    /**
     * The checkout root: given by exec:java as {@code chat.checkout}; otherwise the working directory or the first
     * parent of it that holds the local-stack module, so that a run from inside a module works too.
     */
    private static Path checkout() {
        String configured = System.getProperty("chat.checkout", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path workingDir = Path.of("").toAbsolutePath();
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("local-stack"))) {
                return dir;
            }
        }
        return workingDir;
    }

    /** One line per record, and Kafka's clients quiet, unless the user brought a logging configuration. */
    private static void configureLogging() throws IOException {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream config = LocalRun.class.getResourceAsStream("local-run-logging.properties")) {
            LogManager.getLogManager().readConfiguration(config);
        }
    }
}
