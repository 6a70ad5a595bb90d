package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process this JVM started. Stopping it waits until the process is really gone, so that its port and files
 * can be taken again at once.
 */
final class ChildProcess {

    private static final System.Logger LOG = System.getLogger(ChildProcess.class.getName());
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ChildProcess start(String name, ProcessBuilder builder) {
        try {
            Process process = builder.start();
            LOG.log(Level.DEBUG, "Started {0} as pid {1}: {2}", name, Long.toString(process.pid()), builder.command());
            return new ChildProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + builder.command(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Asks the process to end (SIGTERM), and kills it if it has not ended within the grace period. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(grace)) {
            LOG.log(Level.WARNING, "{0} (pid {1}) did not stop within {2}; killing it", name,
                    Long.toString(pid()), grace);
            kill();
        }
    }

    /** Ends the process and its descendants at once (SIGKILL), as a crash would. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") is still alive after SIGKILL");
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
