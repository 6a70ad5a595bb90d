package chat.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.core.ExecutableProvider;

/**
 * A {@code redis-server} process on 127.0.0.1 that can be stopped and started again on the same port: the one on
 * the PATH, or else the binary shipped in {@code com.github.codemonstur:embedded-redis}. It runs alone, or as a
 * node of a {@link RedisCluster}.
 */
public final class RedisServer implements AutoCloseable {

    /** How far above its port a cluster node listens for the cluster bus; Redis fixes it so by default. */
    static final int CLUSTER_BUS_OFFSET = 10000;

    private static final System.Logger LOG = System.getLogger(RedisServer.class.getName());
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration SHUTDOWN = Duration.ofSeconds(20);
    private static final DefaultJedisClientConfig CHECK_CLIENT = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500)
            .socketTimeoutMillis(1000)
            .build();

    private final Path executable;
    private final Path dataDir;
    private final int port;
    private final List<String> options;
    private final PidFile pidFile;
    private final ServerLog log;
    private ChildProcess process;

    private RedisServer(Path executable, Path dataDir, int port, List<String> options) {
        this.executable = executable;
        this.dataDir = dataDir;
        this.port = port;
        this.options = List.copyOf(options);
        this.pidFile = new PidFile(dataDir.resolve("redis.pid"));
        this.log = new ServerLog(dataDir.resolve("redis.log"));
    }

    /**
     * Starts Redis and returns once it answers PING.
     *
     * @param dataDir    folder for its files, created if missing
     * @param port       port to listen on, or 0 for a free one
     * @param appendOnly whether writes go to an append-only file that survives restarts; tests want {@code false}
     */
    public static RedisServer start(Path dataDir, int port, boolean appendOnly) {
        createDirectories(dataDir);
        RedisServer server = new RedisServer(executable(), dataDir, TcpPort.orFree(port),
                List.of("--appendonly", appendOnly ? "yes" : "no"));
        server.start();
        return server;
    }

    /**
     * Starts a Redis Cluster node that belongs to no cluster yet, without persistence, and returns once it answers
     * PING. It keeps its view of the cluster in {@code nodes.conf} of its data folder, so that a restart of the
     * same server rejoins the cluster in its old place.
     *
     * @param dataDir     folder for its files, created if missing; a {@code nodes.conf} left there is deleted
     * @param port        port to listen on; the cluster bus listens on the one {@value #CLUSTER_BUS_OFFSET} above
     * @param nodeTimeout how long the node may not answer before the others take it for failed
     */
    static RedisServer startClusterNode(Path dataDir, int port, Duration nodeTimeout) {
        createDirectories(dataDir);
        Path clusterConfig = dataDir.resolve("nodes.conf");
        RedisServer server = new RedisServer(executable(), dataDir, port, List.of(
                "--appendonly", "no",
                "--cluster-enabled", "yes",
                "--cluster-config-file", clusterConfig.toString(),
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                // A master otherwise waits 5 s for more replicas before it sends the first one its data.
                "--repl-diskless-sync-delay", "0"));
        // A leftover process of an earlier run would write the file again, so it is ended before the delete.
        server.pidFile.endLeftover("redis");
        deleteIfExists(clusterConfig);
        server.start();
        return server;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The id of the running process, for reading its CPU time from {@code /proc}. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Redis on " + url() + " is not running");
        }
        return process.pid();
    }

    /** Whether the process runs: it was started and has not been stopped, killed or died since. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the stopped server on the same port and returns once it answers PING; does nothing if it runs. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        // Not "redis-server": on Debian that is a link to redis-check-rdb, which is what the process reports.
        pidFile.endLeftover("redis");
        ProcessBuilder builder = new ProcessBuilder(command())
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.path().toFile()));
        process = ChildProcess.start("redis-server", builder);
        awaitPong();
        LOG.log(Level.INFO, "Redis listens on {0} (pid {1}, {2}, data in {3})", url(), Long.toString(process.pid()),
                executable, dataDir);
    }

    /** Shuts Redis down (SIGTERM) and returns once the process is gone. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(SHUTDOWN);
            process = null;
            LOG.log(Level.INFO, "Redis on {0} stopped", url());
        }
    }

    /** Kills Redis (SIGKILL), as a crash would; without the append-only file its data is gone on {@link #start()}. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
            LOG.log(Level.INFO, "Redis on {0} killed", url());
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A new connection with short timeouts, for checks that poll the server. */
    Jedis connect() {
        return new Jedis(new HostAndPort("127.0.0.1", port), CHECK_CLIENT);
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dataDir.toString(),
                "--pidfile", pidFile.path().toString(),
                "--daemonize", "no",
                "--save", ""));
        command.addAll(options);
        return command;
    }

    private void awaitPong() {
        Deadline deadline = Deadline.after(STARTUP);
        JedisException last = null;
        while (!deadline.hasPassed()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.process().exitValue()
                        + " while starting; " + log.tail());
            }
            try (Jedis jedis = connect()) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (JedisException e) {
                last = e;
            }
            deadline.pause(Duration.ofMillis(50));
        }
        process.kill();
        throw new IllegalStateException("Redis on port " + port + " did not answer PING within " + STARTUP
                + " (last error: " + last + "); " + log.tail());
    }

    private static Path executable() {
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
        if (onPath.isPresent()) {
            return onPath.get();
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException e) {
            throw new UncheckedIOException("No redis-server on the PATH, and the one in embedded-redis could not be "
                    + "unpacked", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }
}
