package chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The chat nodes and the archiver of the local run, started from their jars and stopped together. Once closed it
 * starts nothing more, so that a Ctrl-C during startup leaves no service behind.
 */
final class LocalServices implements AutoCloseable {

    private final ChildJvm jvm;
    private final Path checkout;
    private final Path logs;
    private final List<AppProcess> running = new ArrayList<>();
    private boolean closed;

    LocalServices(ChildJvm jvm, Path checkout, Path logs) {
        this.jvm = jvm;
        this.checkout = checkout;
        this.logs = logs;
    }

    /** Starts {@code java -jar jar} (relative to the checkout), or says how to build it if it is missing. */
    synchronized void start(String name, String jar, int port, int healthPort, Map<String, String> environment) {
        if (closed) {
            return;
        }
        Path jarFile = checkout.resolve(jar);
        if (!Files.isRegularFile(jarFile)) {
            System.out.printf("WARNING: %s is missing, so %s does not run; build it with:%n"
                    + "         ./mvnw -q -DskipTests install%n", jarFile, name);
            return;
        }
        for (int wanted : new TreeSet<>(List.of(port, healthPort))) {
            if (!TcpPort.isFree(wanted)) {
                System.out.printf("WARNING: port %d is taken, so %s will fail to listen on it%n", wanted, name);
            }
        }
        running.add(AppProcess.start(name, jvm, checkout, jarFile, port, healthPort, environment,
                logs.resolve(name + ".log")));
    }

    /** Waits for each service to answer its health check; returns the names of those that did not in time. */
    List<String> awaitHealthy(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        List<String> unhealthy = new ArrayList<>();
        for (AppProcess app : started()) {
            if (!app.awaitHealthy(deadline)) {
                unhealthy.add(app.name());
                System.out.printf("WARNING: %s is not healthy (no 200 from /observe/health); it may not be "
                        + "implemented yet, see %s%n", app.name(), logs.resolve(app.name() + ".log"));
            }
        }
        return unhealthy;
    }

    synchronized List<AppProcess> started() {
        return List.copyOf(running);
    }

    /** Sends every service its stop signal first, so that they shut down side by side, then waits for each. */
    @Override
    public synchronized void close() {
        closed = true;
        running.forEach(AppProcess::requestStop);
        running.forEach(AppProcess::close);
    }
}
