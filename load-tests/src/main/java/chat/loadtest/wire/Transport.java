package chat.loadtest.wire;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The socket I/O of the load generator: epoll where the machine has it, NIO elsewhere, io_uring when asked for
 * ({@code -Dtransport=io_uring}). On loopback about half of a frame's cost is the kernel's, a wake-up, a read and
 * an ACK per frame, and io_uring measured no cheaper than epoll for it.
 */
enum Transport {
    IO_URING, EPOLL, NIO;

    /** The one asked for ({@code io_uring}, {@code epoll}, {@code nio}), or else epoll, or else NIO. */
    static Transport choose(String asked) {
        if (!asked.isBlank()) {
            Transport transport = valueOf(asked.trim().toUpperCase());
            if (!transport.available()) {
                throw new IllegalStateException(asked + " is not available here");
            }
            return transport;
        }
        return EPOLL.available() ? EPOLL : NIO;
    }

    boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    IoHandlerFactory handlers() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends SocketChannel> channelType() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
