package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports on 127.0.0.1: a free one for a server, and whether one is taken or answering. */
final class TcpPort {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

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
