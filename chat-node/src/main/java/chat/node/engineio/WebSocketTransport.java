package chat.node.engineio;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket: either a session of its own from the first frame, or the upgrade probe of a polling session
 * ({@code sid} in the query), which becomes that session's transport after {@code 2probe}, {@code 3probe}, {@code 5}.
 * Frames from the socket are handled one at a time on its reader thread. Frames to it are written by a virtual
 * thread that runs only while the session has packets for it, so a slow socket never blocks whoever sends to it and
 * an idle one holds no writer; it takes everything queued at once and puts it on the wire in one write.
 */
final class WebSocketTransport implements WsListener, Transport {
    private static final System.Logger LOG = System.getLogger(WebSocketTransport.class.getName());

    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("ws-writer").factory();

    private final EngineServer server;
    /** A text message arriving in several frames, until its last one; null otherwise. */
    private StringBuilder partial;
    private String upgradingSid;
    private Optional<String> forwardedFor = Optional.empty();
    private volatile EngineSession session;
    private volatile boolean probing;
    private volatile WsSession socket;
    /** The socket's output, where frames are written as bytes. */
    private volatile DataWriter wire;
    private volatile Thread reader;
    /** Whether a writer runs or is about to: at most one does at any time. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicReference<Thread> writer = new AtomicReference<>();
    /**
     * Held for every write to the socket, frames and the web server's own (pongs, close), so that they never
     * interleave; {@code outputClosed} is written under it.
     */
    private final ReentrantLock output = new ReentrantLock();
    private boolean outputClosed;

    WebSocketTransport(EngineServer server) {
        this.server = server;
    }

    @Override
    public boolean polling() {
        return false;
    }

    /** Refuses, with HTTP 400, what is not Engine.IO v4 over WebSocket, or names a session it cannot upgrade. */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        UriQuery query = prologue.query();
        EngineError refusal = EngineServer.refusal(query.first("EIO").asOptional(),
                query.first("transport").asOptional(), "websocket");
        if (refusal != null) {
            throw new WsUpgradeException("Bad request: " + refusal.message());
        }
        Optional<String> sid = query.first("sid").asOptional();
        if (sid.isPresent()) {
            if (server.find(sid.get()).isEmpty()) {
                throw new WsUpgradeException("Bad request: unknown session " + sid.get());
            }
            upgradingSid = sid.get();
        }
        forwardedFor = headers.first(HeaderNames.X_FORWARDED_FOR);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        this.socket = ws;
        // A server-side WebSocket's context is always its connection's.
        this.wire = ((ConnectionContext) ws.socketContext()).dataWriter();
        this.reader = Thread.currentThread();
        if (upgradingSid == null) {
            String address = server.addresses().clientOf(ws.socketContext().remotePeer().address(), forwardedFor);
            session = server.open(this, address).orElse(null);
            if (session == null) {
                // Only a handshake that raced past AddressLimit's filter gets here: the upgrade is done, so the
                // refusal is a close frame (1008, policy violation) instead of HTTP 403.
                ws.close(WsCloseCodes.VIOLATED_POLICY, AddressLimit.MESSAGE);
                return;
            }
            // The open packet was queued before this transport knew its session.
            wake();
        } else {
            // A second WebSocket for a session is opened and closed at once, as the protocol says; it never becomes
            // the session's, so none of its frames reach the session.
            EngineSession target = server.find(upgradingSid).orElse(null);
            if (target == null || !target.beginProbe(this)) {
                ws.close(WsCloseCodes.NORMAL_CLOSE, "upgrade refused");
                return;
            }
            probing = true;
            session = target;
        }
        watchForVanishedPeer();
    }

    /**
     * Helidon reports a peer that vanished (no close frame) to no listener method; the connection's thread ending
     * is the one sure sign, so a virtual thread waits for it. It must be at once: a client that reconnects right
     * after a reset, to this node or another, recovers its session only once this one is saved.
     */
    private void watchForVanishedPeer() {
        Thread connection = reader;
        Thread.ofVirtual().name("watch-" + session.sid()).start(() -> {
            try {
                connection.join();
                gone("transport_closed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        EngineSession current = session;
        if (current == null) {
            return;
        }
        if (!last || partial != null) {
            if (partial == null) {
                partial = new StringBuilder();
            }
            partial.append(text);
            if (partial.length() > server.config().maxPayload() * 2L) {
                partial = null;
                current.close("payload_too_large");
                return;
            }
            if (!last) {
                return;
            }
            text = partial.toString();
            partial = null;
        }
        if (probing) {
            onProbeFrame(current, text);
            return;
        }
        try {
            current.receive(text);
        } catch (MalformedPacketException e) {
            // The session has closed itself; nothing more to answer on a WebSocket.
        }
    }

    /** The upgrade handshake: {@code 2probe} is answered at once, {@code 5} moves the session here. */
    private void onProbeFrame(EngineSession current, String text) {
        if (("2" + EngineCodec.PROBE).equals(text) && current.probed(this)) {
            socket.send(EngineCodec.pong(EngineCodec.PROBE), true);
        } else if ("5".equals(text) && current.upgrade(this)) {
            probing = false;
            wake();
        } else {
            LOG.log(System.Logger.Level.DEBUG, "closing upgrade probe of " + current.sid() + ": unexpected '"
                    + text + "'");
            current.abandonProbe(this, true);
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        // Engine.IO v4 over WebSocket sends binary frames only for binary attachments, which this server refuses.
        EngineSession current = session;
        if (current != null) {
            current.close("binary_frame");
        }
    }

    /** Pongs go out under the output lock, between batches of frames, never inside one. */
    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        output.lock();
        try {
            if (!outputClosed) {
                ws.pong(buffer);
            }
        } finally {
            output.unlock();
        }
    }

    /** The peer's close frame: the web server answers it, so nothing of this transport's may be written after. */
    @Override
    public void onClose(WsSession ws, int status, String reason) {
        output.lock();
        try {
            outputClosed = true;
        } finally {
            output.unlock();
        }
        gone("client_closed");
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "socket error: " + t.getMessage());
        gone("transport_error");
    }

    private void gone(String reason) {
        EngineSession current = session;
        if (current != null) {
            current.transportClosed(this, reason);
        }
    }

    /** Starts a writer unless one runs; before the session is this socket's (a probe), there is nothing to write. */
    @Override
    public void wake() {
        if (session != null && !probing && writing.compareAndSet(false, true)) {
            WRITERS.newThread(this::write).start();
        }
    }

    /** Writes until the session has nothing more for this socket, then ends; a later {@link #wake} starts another. */
    private void write() {
        EngineSession current = session;
        writer.set(Thread.currentThread());
        try {
            while (true) {
                Outgoing next = current.forSocket(this);
                switch (next.next()) {
                    case WRITE -> put(next.packets());
                    case IDLE -> {
                        writing.set(false);
                        // A packet queued between the session's answer and here woke no one: take it on.
                        if (!current.hasWorkFor(this) || !writing.compareAndSet(false, true)) {
                            return;
                        }
                    }
                    case STOP -> {
                        return;
                    }
                    case CLOSE -> {
                        closeOutput();
                        current.closed();
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "socket write failed: " + e.getMessage());
            current.transportClosed(this, "transport_error");
        } finally {
            writer.compareAndSet(Thread.currentThread(), null);
        }
    }

    private void put(List<String> packets) {
        output.lock();
        try {
            if (outputClosed) {
                return;
            }
            for (BufferData batch : TextFrames.of(packets)) {
                wire.writeNow(batch);
            }
        } finally {
            output.unlock();
        }
    }

    private void closeOutput() {
        output.lock();
        try {
            if (!outputClosed) {
                outputClosed = true;
                socket.close(WsCloseCodes.NORMAL_CLOSE, "");
            }
        } finally {
            output.unlock();
        }
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            closeOutput();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing socket failed: " + e.getMessage());
        }
    }

    /**
     * Interrupting a virtual thread blocked in a socket write closes the socket, which is what frees a writer
     * stuck on a client that stopped reading; interrupting the reader ends the connection.
     */
    @Override
    public void abort() {
        Thread current = writer.get();
        if (current != null) {
            current.interrupt();
        }
        Thread connection = reader;
        if (connection != null) {
            connection.interrupt();
        }
    }
}
