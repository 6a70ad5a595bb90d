package chat.stack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * One of our own services (a chat node, the archiver) running from its jar in a child JVM during the local run;
 * each line it prints is shown with a {@code [name]} prefix and kept in its log file.
 */
final class AppProcess implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AppProcess.class.getName());
    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final int healthPort;
    private final ChildProcess process;
    private volatile boolean stopping;

    private AppProcess(String name, int healthPort, ChildProcess process) {
        this.name = name;
        this.healthPort = healthPort;
        this.process = process;
    }

    /**
     * Starts {@code java -jar jar} in the checkout, as a developer would, with the given environment added to this
     * JVM's.
     *
     * @param port       the HTTP port the service is told to listen on ({@code SERVER_PORT})
     * @param healthPort the port that serves {@code /observe}: a chat node's management port, the archiver's only one
     */
    static AppProcess start(String name, ChildJvm jvm, Path checkout, Path jar, int port, int healthPort,
                            Map<String, String> environment, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(List.of(jvm.java(), "-jar", jar.toString()))
                .directory(checkout.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        AppProcess app = new AppProcess(name, healthPort, ChildProcess.start(name, builder));
        app.showOutput(logFile);
        app.process.process().onExit().thenAccept(exited -> {
            if (!app.stopping) {
                System.out.printf("[%s] exited with status %d; its log is %s%n", name, exited.exitValue(), logFile);
            }
        });
        return app;
    }

    String name() {
        return name;
    }

    /** Polls {@code /observe/health} until it answers 200; false if the deadline passes or the process ends. */
    boolean awaitHealthy(Deadline deadline) {
        URI health = URI.create("http://127.0.0.1:" + healthPort + "/observe/health");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build()) {
            HttpRequest request = HttpRequest.newBuilder(health).timeout(PROBE_TIMEOUT).GET().build();
            while (!deadline.hasPassed() && process.isAlive()) {
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException e) {
                    LOG.log(Level.TRACE, name + " not answering yet", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                deadline.pause(Duration.ofMillis(250));
            }
            return false;
        }
    }

    /** Asks the process to end, without waiting; {@link #close()} then waits. */
    void requestStop() {
        stopping = true;
        process.process().destroy();
    }

    /** Ends the process (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    @Override
    public void close() {
        stopping = true;
        process.stop(GRACE);
    }

    private void showOutput(Path logFile) {
        InputStream output = process.process().getInputStream();
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 BufferedWriter log = Files.newBufferedWriter(logFile, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
                log.write("==== " + name + " started " + LocalDateTime.now() + " ====");
                log.newLine();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[" + name + "] " + line);
                    log.write(line);
                    log.newLine();
                    log.flush();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Lost the output of " + name, e);
            }
        });
    }
}
