package chat.node.support;

import chat.stack.OrphanGuard;
import chat.stack.TestStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A chat node in a JVM of its own, started as a deployment starts one: {@code chat.node.Main} with its
 * application.yaml and the settings given as environment variables, so that the CPU time of its process is the
 * node's alone and not its clients'. It runs from this JVM's class path under {@link OrphanGuard}, so it ends with
 * this JVM even when this one is killed.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(10);
    /** Heap of the node, as the load tests give theirs. */
    private static final String HEAP = "-Xmx1g";

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private NodeProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts a node and waits until it is ready.
     *
     * @param environment its settings, e.g. {@code CHAT_REDIS_URL}; whatever {@code CHAT_*}, {@code SERVER_*} or
     *                    {@code OTEL_*} variable this JVM has is left out, so the node runs on its defaults otherwise
     * @param log         where its output goes
     */
    public static NodeProcess start(Map<String, String> environment, Path log) {
        int port = freePort();
        int managementPort = freePort();
        try {
            NodeProcess node = new NodeProcess(launch(environment, port, managementPort, log), port, managementPort,
                    log);
            node.awaitReady();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the node", e);
        }
    }

    /**
     * The settings of a node named {@code nodeId} against the test stack's Redis and Kafka, signing tokens with
     * {@link TestCluster#SECRET}, as environment variables; callers add or change entries.
     */
    public static Map<String, String> environment(TestStack stack, String nodeId) {
        return new HashMap<>(Map.of(
                "CHAT_NODE_ID", nodeId,
                "CHAT_REDIS_URL", stack.redisUrl(),
                "CHAT_KAFKA_BOOTSTRAP", stack.kafkaBootstrap(),
                "CHAT_AUTH_SECRET", TestCluster.SECRET));
    }

    /** Starts a node on {@code port}, its health and metrics on {@code managementPort}; returns at once. */
    public static Process launch(Map<String, String> environment, int port, int managementPort, Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, HEAP, "-cp", System.getProperty("java.class.path"),
                OrphanGuard.class.getName(), Long.toString(ProcessHandle.current().pid()), "chat.node.Main"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CHAT_") || name.startsWith("SERVER_")
                || name.startsWith("OTEL_"));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().put("SERVER_SOCKETS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("SERVER_SOCKETS_MANAGEMENT_HOST", "127.0.0.1");
        return builder.start();
    }

    public int port() {
        return port;
    }

    /** Where the node serves {@code /observe}: health and metrics. */
    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the node's process has used so far, all its threads (user and system). */
    public Duration cpuTime() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the CPU time of pid " + pid() + " is not known"));
    }

    /** Asks the node to stop as an orchestrator does, with SIGTERM; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the node's process to end; its exit code, or -1 if it did not end in time. */
    public int awaitExit(Duration max) throws InterruptedException {
        return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Kills the node as a crash would: SIGKILL, no shutdown hook, nothing cleaned up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady() {
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        long deadline = System.nanoTime() + START.toNanos();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the node exited with " + process.exitValue() + ":\n" + output());
                }
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the node started", e);
        }
        close();
        throw new IllegalStateException("the node was not ready within " + START + ":\n" + output());
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(its output in " + log + " cannot be read: " + e + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
