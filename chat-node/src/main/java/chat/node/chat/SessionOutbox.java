package chat.node.chat;

import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded queue of frames for one socket, drained by its own virtual thread: {@code WsSession.send} blocks on a
 * slow socket, and this keeps that block away from everyone else. A socket whose queue fills up is cut off.
 */
public final class SessionOutbox {
    private static final System.Logger LOG = System.getLogger(SessionOutbox.class.getName());

    private final WsSession session;
    private final BlockingQueue<String> queue;
    private final Runnable onOverflow;
    private final Thread writer;
    private volatile boolean closed;

    public SessionOutbox(WsSession session, int capacity, String name, Runnable onOverflow) {
        this.session = session;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onOverflow = onOverflow;
        this.writer = Thread.ofVirtual().name("outbox-" + name).start(this::drain);
    }

    /** Queues a frame; false when the socket is closed or its queue overflowed (then it is being cut off). */
    public boolean offer(String frame) {
        if (closed) {
            return false;
        }
        if (queue.offer(frame)) {
            return true;
        }
        closed = true;
        onOverflow.run();
        return false;
    }

    public boolean isClosed() {
        return closed;
    }

    private void drain() {
        try {
            while (true) {
                String frame = queue.take();
                if (closed && frame.isEmpty()) {
                    session.close(WsCloseCodes.NORMAL_CLOSE, "");
                    return;
                }
                session.send(frame, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "socket write failed: " + e.getMessage());
        }
    }

    /** Sends what is queued, then a WebSocket close frame, then stops the writer. */
    public void closeAfterFlush() {
        closed = true;
        if (!queue.offer("")) {
            abort();
        }
    }

    /**
     * Stops the writer at once, dropping what is queued. Interrupting a virtual thread blocked in a socket write
     * closes the socket, which is what frees a writer stuck on a client that stopped reading.
     */
    public void abort() {
        closed = true;
        queue.clear();
        writer.interrupt();
    }
}
