package chat.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** N servers of one kind, each in its own CPU group, started together and stopped together. */
public final class Fleet implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ServerKind kind;
    private final List<ServerProcess> servers;
    private final List<URI> stats;
    private List<CpuCaps.Group> groups;

    private Fleet(ServerKind kind, List<ServerProcess> servers, List<URI> stats, List<CpuCaps.Group> groups) {
        this.kind = kind;
        this.servers = servers;
        this.stats = stats;
        this.groups = groups;
    }

    /**
     * Starts {@code count} servers, each capped at {@code cpusEach} CPUs (0: uncapped) and pinned to one core (dealt
     * round-robin), and waits until all are ready.
     *
     * @param app the chat node's jar or the baseline's folder
     */
    public static Fleet start(ServerKind kind, int count, double cpusEach, CpuCaps caps, Path app,
                              ClusterSettings cluster, Path logs) {
        return start(kind, count, cpusEach, -1, caps, app, cluster, logs);
    }

    /**
     * As {@link #start(ServerKind, int, double, CpuCaps, Path, ClusterSettings, Path)}, with every server pinned to
     * {@code core}, or dealt round-robin over the cores when it is -1.
     */
    public static Fleet start(ServerKind kind, int count, double cpusEach, int core, CpuCaps caps, Path app,
                              ClusterSettings cluster, Path logs) {
        List<ServerProcess> servers = new ArrayList<>();
        List<CpuCaps.Group> groups = new ArrayList<>();
        List<URI> stats = new ArrayList<>();
        String prefix = kind == ServerKind.CHAT_NODE ? "node-" : "sio-";
        for (int i = 1; i <= count; i++) {
            String id = prefix + i;
            CpuCaps.Group group = caps.group(id, cpusEach,
                    core >= 0 ? core : (i - 1) % Runtime.getRuntime().availableProcessors());
            int port = freePort();
            int managementPort = freePort();
            groups.add(group);
            stats.add(kind.stats(port, managementPort));
            servers.add(ServerProcess.start(id, kind.command(app), kind.environment(id, port, managementPort, cluster),
                    group, port, kind.health(port, managementPort), app.toAbsolutePath().getParent(),
                    logs.resolve(id + ".log")));
        }
        Fleet fleet = new Fleet(kind, List.copyOf(servers), List.copyOf(stats), List.copyOf(groups));
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> ready = new ArrayList<>();
            for (ServerProcess server : servers) {
                ready.add(waiting.submit(() -> server.awaitReady(READY_TIMEOUT)));
            }
            for (Future<?> each : ready) {
                each.get();
            }
        } catch (ExecutionException | InterruptedException | RuntimeException e) {
            fleet.close();
            throw new IllegalStateException("The " + kind.label() + " fleet did not start", e);
        }
        return fleet;
    }

    public ServerKind kind() {
        return kind;
    }

    public List<ServerProcess> servers() {
        return servers;
    }

    /**
     * Sets every server's cap, or lifts it at 0. Servers start with at least one CPU each, or uncapped, so that a JVM
     * sizes itself for a single CPU as it would under the final cap, yet starts in seconds rather than minutes.
     */
    public void limit(double cpusEach) {
        groups = groups.stream().map(group -> group.limit(cpusEach)).toList();
    }

    /** Where each server, in the order of {@link #servers()}, tells the frames it received from Redis. */
    public List<URI> stats() {
        return stats;
    }

    public List<CpuCaps.Group> groups() {
        return groups;
    }

    /** The comma-separated WebSocket base URLs, as the simulations take them. */
    public String wsBaseUrls() {
        return String.join(",", servers.stream().map(ServerProcess::wsBaseUrl).toList());
    }

    @Override
    public void close() {
        servers.forEach(ServerProcess::close);
    }

    /** A port nobody listens on now, on the loopback address. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback address", e);
        }
    }
}
