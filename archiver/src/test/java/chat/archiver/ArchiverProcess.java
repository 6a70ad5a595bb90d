package chat.archiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * An archiver in a JVM of its own, started with {@link Main} and configured through environment variables as in
 * production, so that a test can kill it as a crash would.
 */
final class ArchiverProcess implements AutoCloseable {

    private final Process process;

    private ArchiverProcess(Process process) {
        this.process = process;
    }

    /**
     * @param settings configuration keys such as {@code chat.db.url}, passed as {@code CHAT_DB_URL}
     * @param log      file the archiver's output is appended to
     */
    static ArchiverProcess start(Map<String, String> settings, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        settings.forEach((key, value) -> builder.environment().put(environmentName(key), value));
        try {
            return new ArchiverProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start an archiver process", e);
        }
    }

    /** Ends the process with SIGKILL: no shutdown hook, no rollback, no goodbye to the consumer group. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end; its exit code, or -1 if it did not end in time. */
    int awaitExit(java.time.Duration max) throws InterruptedException {
        return process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() {
        kill();
    }

    private static String environmentName(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
