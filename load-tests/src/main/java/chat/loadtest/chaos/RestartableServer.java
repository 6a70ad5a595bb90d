package chat.loadtest.chaos;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.CpuCaps;
import chat.loadtest.cluster.Fleet;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.cluster.ServerProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A chat node or the archiver that the chaos run kills or stops and starts again: the same ports and settings each
 * time, a fresh node id and log file per life ({@code node-1.2.log} is node-1's second).
 */
final class RestartableServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Below what a member misses in a fault at the run's pace (500 by default, above it). */
    private static final int JOIN_MISSED = 100;

    private final String name;
    private final ServerKind kind;
    private final Path app;
    private final ClusterSettings cluster;
    private final Path logs;
    private final int port = Fleet.freePort();
    private final int managementPort = Fleet.freePort();
    private int life;
    private ServerProcess process;

    RestartableServer(String name, ServerKind kind, Path app, ClusterSettings cluster, Path logs) {
        this.name = name;
        this.kind = kind;
        this.app = app;
        this.cluster = cluster;
        this.logs = logs;
    }

    String name() {
        return name;
    }

    String wsBaseUrl() {
        return "ws://127.0.0.1:" + port;
    }

    /** Starts the next life and waits until it reports ready. */
    void start() {
        life++;
        // A fresh node id per start, as a restarted pod gets: the presence of the dead one is swept, not inherited.
        Map<String, String> environment = new HashMap<>(kind.environment(name + "." + life, port, managementPort,
                cluster));
        if (kind == ServerKind.CHAT_NODE) {
            // A member back after a fault then finds more than one join's missed, and pages on with history.
            environment.put("CHAT_LIMITS_JOINMISSED", Integer.toString(JOIN_MISSED));
        }
        process = ServerProcess.start(name, kind.command(app), environment, CpuCaps.disabled().group(name, 0),
                port, kind.health(port, managementPort), app.toAbsolutePath().getParent(),
                logs.resolve(name + "." + life + ".log"));
        process.awaitReady(READY_TIMEOUT);
    }

    /** SIGKILL: no drain, no flush, no goodbye. */
    void kill() {
        process.kill();
    }

    /** SIGTERM, and waits until the process is gone (a chat node drains first). */
    void terminate() {
        process.close();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
