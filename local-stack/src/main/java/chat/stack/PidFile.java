package chat.stack;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pid file a server keeps in its data folder. A live process named in it when we are about to start that
 * server is a leftover of an earlier run that was killed before it could stop its children: it holds the data
 * folder, so it is ended first.
 */
record PidFile(Path path) {

    private static final System.Logger LOG = System.getLogger(PidFile.class.getName());
    private static final Duration GRACE = Duration.ofSeconds(15);

    /** Ends the process named in the file if it is alive and the path of its executable contains {@code name}. */
    void endLeftover(String name) {
        leftover(name).ifPresent(process -> {
            LOG.log(Level.WARNING, "Ending {0} (pid {1}) left over from an earlier run in {2}",
                    name, Long.toString(process.pid()), path.getParent());
            process.destroy();
            if (!awaitExit(process, GRACE)) {
                process.destroyForcibly();
                awaitExit(process, GRACE);
            }
        });
    }

    /** Kills the process named in the file and its descendants at once (SIGKILL), if it is alive and named so. */
    void kill(String name) {
        leftover(name).ifPresent(process -> {
            // The children first noted, then the parent killed first, so that it forks no new ones in between.
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(process, GRACE)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") is still alive after SIGKILL");
            }
        });
    }

    private Optional<ProcessHandle> leftover(String name) {
        return pid().flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().command().orElse("").contains(name));
    }

    private Optional<Long> pid() {
        try {
            List<String> lines = Files.exists(path) ? Files.readAllLines(path) : List.of();
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.DEBUG, "Unreadable pid file " + path, e);
            return Optional.empty();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
