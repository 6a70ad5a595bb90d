package chat.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in a JVM of its own, so that it can be stopped, killed and started again on the
 * same ports with the same data, like a real one.
 */
public final class KafkaServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaServer.class.getName());
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN = Duration.ofSeconds(60);
    private static final Duration FORMAT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL = Duration.ofSeconds(3);
    /** A small heap: the broker holds a few test topics, and the machine runs two chat nodes beside it. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-Xms128m", "-XX:+UseSerialGC",
            "-Djava.awt.headless=true");

    private final Path folder;
    private final int port;
    private final int controllerPort;
    private final ServerLog log;
    private final ChildJvm jvm;
    private ChildProcess process;

    private KafkaServer(Path folder, int port, int controllerPort) {
        this.folder = folder;
        this.port = port;
        this.controllerPort = controllerPort;
        this.log = new ServerLog(folder.resolve("kafka.log"));
        this.jvm = ChildJvm.likeThisOne();
    }

    /**
     * Starts the broker, formatting its storage first if the folder holds none, and returns once it serves metadata.
     *
     * @param folder         folder for the broker's configuration, output and logs ({@code logs/})
     * @param port           client port, or 0 for a free one
     * @param controllerPort KRaft controller port, or 0 for a free one
     */
    public static KafkaServer start(Path folder, int port, int controllerPort) {
        int clientPort = TcpPort.orFree(port);
        int quorumPort = controllerPort != 0 ? controllerPort : freePortOtherThan(clientPort);
        KafkaServer server = new KafkaServer(folder.toAbsolutePath(), clientPort, quorumPort);
        server.start();
        return server;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the stopped broker on the same ports with the same data; does nothing if it runs. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path config = writeConfig();
        formatStorageOnce(config);
        process = ChildProcess.start("kafka", processBuilder(jvm.command(jvmOptions(), "kafka.Kafka",
                config.toString())));
        awaitMetadata();
        LOG.log(Level.INFO, "Kafka serves {0} (pid {1}, data in {2})", bootstrap(), Long.toString(process.pid()),
                folder);
    }

    /** Shuts the broker down cleanly (SIGTERM) and returns once its JVM is gone. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(SHUTDOWN);
            process = null;
            LOG.log(Level.INFO, "Kafka on {0} stopped", bootstrap());
        }
    }

    /** Kills the broker's JVM (SIGKILL), as a crash would; {@link #start()} then recovers its logs. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
            LOG.log(Level.INFO, "Kafka on {0} killed", bootstrap());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private List<String> jvmOptions() {
        return Stream.concat(JVM_OPTIONS.stream(),
                Stream.of("-Djava.util.logging.config.file=" + folder.resolve("logging.properties"))).toList();
    }

    private Path writeConfig() {
        Path config = folder.resolve("server.properties");
        try {
            Files.createDirectories(folder);
            Files.writeString(config, new KafkaBrokerConfig(port, controllerPort, folder.resolve("logs"))
                    .asProperties());
            try (InputStream logging = KafkaServer.class.getResourceAsStream("kafka-logging.properties")) {
                Files.write(folder.resolve("logging.properties"), logging.readAllBytes());
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka configuration in " + folder, e);
        }
    }

    private void formatStorageOnce(Path config) {
        if (Files.exists(folder.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ChildProcess format = ChildProcess.start("kafka-storage-format", processBuilder(jvm.command(jvmOptions(),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted")));
        try {
            boolean exited = format.process().waitFor(FORMAT.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited || format.process().exitValue() != 0) {
                format.kill();
                throw new IllegalStateException("Formatting Kafka storage in " + folder + " failed; " + log.tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            format.kill();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
    }

    private ProcessBuilder processBuilder(List<String> command) {
        return new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.path().toFile()));
    }

    /** The listener opens late in the broker's startup; only then is an admin client worth its connection noise. */
    private void awaitMetadata() {
        Deadline deadline = Deadline.after(STARTUP);
        while (!TcpPort.accepts(port)) {
            failIfGoneOrLate(deadline, null);
            deadline.pause(Duration.ofMillis(100));
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL.toMillis());
        try (Admin admin = Admin.create(config)) {
            while (true) {
                Exception last = null;
                try {
                    if (!admin.describeCluster().nodes().get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Kafka", e);
                }
                failIfGoneOrLate(deadline, last);
                deadline.pause(Duration.ofMillis(100));
            }
        }
    }

    private void failIfGoneOrLate(Deadline deadline, Exception last) {
        if (!process.isAlive()) {
            int status = process.process().exitValue();
            process = null;
            throw new IllegalStateException("Kafka exited with " + status + " while starting; " + log.tail(), last);
        }
        if (deadline.hasPassed()) {
            process.kill();
            process = null;
            throw new IllegalStateException("Kafka on " + bootstrap() + " did not serve metadata within " + STARTUP
                    + "; " + log.tail(), last);
        }
    }

    private static int freePortOtherThan(int port) {
        int free = TcpPort.free();
        return free != port ? free : TcpPort.free();
    }
}
