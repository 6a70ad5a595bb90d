package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ports on 127.0.0.1: a free one for a server, and whether one is taken or answering. */
final class TcpPort {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int HIGHEST = 65535;
    /** Tries per port asked for; about a fifth of the ephemeral range fails the test of the port above it. */
    private static final int TRIES_PER_PORT = 100;

    private TcpPort() {
    }

    /** The given port, or a free one when it is 0. */
    static int orFree(int port) {
        return port == 0 ? free() : port;
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on " + LOOPBACK, e);
        }
    }

    /**
     * {@code count} free ports, each with the port {@code offset} above it free too, and none of them the port above
     * another: a Redis Cluster node listens on its port and on the one 10000 above for the cluster bus.
     */
    static List<Integer> freeWithOffset(int count, int offset) {
        Set<Integer> taken = new HashSet<>();
        List<Integer> ports = new ArrayList<>();
        for (int tries = 0; ports.size() < count; tries++) {
            if (tries == count * TRIES_PER_PORT) {
                throw new IllegalStateException("Found only " + ports + " of " + count + " free ports on " + LOOPBACK
                        + " with the port " + offset + " above free too");
            }
            int port = free();
            int above = port + offset;
            if (above <= HIGHEST && !taken.contains(port) && !taken.contains(above) && isFree(above)) {
                ports.add(port);
                taken.add(port);
                taken.add(above);
            }
        }
        return ports;
    }

    static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, LOOPBACK)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
