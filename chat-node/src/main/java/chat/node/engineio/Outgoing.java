package chat.node.engineio;

import java.util.List;

/**
 * What a WebSocket's writer is to do next, as its session says: write packets, stop until it is woken again, stop
 * for good (the session moved elsewhere), or close the socket (the session is closing and everything queued went out).
 *
 * @param packets what to write, in order; empty unless {@code next} is {@link Next#WRITE}
 * @param next    the writer's next step
 */
record Outgoing(List<String> packets, Next next) {
    static final Outgoing IDLE = new Outgoing(List.of(), Next.IDLE);
    static final Outgoing STOP = new Outgoing(List.of(), Next.STOP);
    static final Outgoing CLOSE = new Outgoing(List.of(), Next.CLOSE);

    static Outgoing write(List<String> packets) {
        return new Outgoing(packets, Next.WRITE);
    }

    enum Next { WRITE, IDLE, STOP, CLOSE }
}
