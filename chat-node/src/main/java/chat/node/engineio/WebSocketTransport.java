package chat.node.engineio;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.util.List;
import java.util.Optional;

/**
 * One WebSocket: either a session of its own from the first frame, or the upgrade probe of a polling session
 * ({@code sid} in the query), which becomes that session's transport after {@code 2probe}, {@code 3probe}, {@code 5}.
 * Frames from the socket are handled one at a time on its reader thread; frames to it are written by a virtual
 * thread of its own, so a slow socket never blocks whoever sends to it.
 */
final class WebSocketTransport implements WsListener, Transport {
    private static final System.Logger LOG = System.getLogger(WebSocketTransport.class.getName());

    private final EngineServer server;
    private final StringBuilder partial = new StringBuilder();
    private String upgradingSid;
    private Optional<String> forwardedFor = Optional.empty();
    private volatile EngineSession session;
    private volatile boolean probing;
    private volatile WsSession socket;
    private volatile Thread reader;
    private volatile Thread writer;

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
            startWriter();
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
     * is the one sure sign, so a virtual thread waits for it.
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
        if (!last || !partial.isEmpty()) {
            partial.append(text);
            if (partial.length() > server.config().maxPayload() * 2L) {
                partial.setLength(0);
                current.close("payload_too_large");
                return;
            }
            if (!last) {
                return;
            }
            text = partial.toString();
            partial.setLength(0);
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
            startWriter();
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

    @Override
    public void onClose(WsSession ws, int status, String reason) {
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

    private void startWriter() {
        writer = Thread.ofVirtual().name("ws-writer-" + session.sid()).start(this::write);
    }

    private void write() {
        EngineSession current = session;
        try {
            while (true) {
                List<String> packets = current.nextForSocket(this);
                if (packets.isEmpty()) {
                    break;
                }
                for (String packet : packets) {
                    socket.send(packet, true);
                }
            }
            if (current.closing()) {
                socket.close(WsCloseCodes.NORMAL_CLOSE, "");
                current.closed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "socket write failed: " + e.getMessage());
            current.transportClosed(this, "transport_error");
        }
    }

    @Override
    public void close() {
        WsSession ws = socket;
        if (ws == null) {
            return;
        }
        try {
            ws.close(WsCloseCodes.NORMAL_CLOSE, "");
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
        Thread current = writer;
        if (current != null) {
            current.interrupt();
        }
        Thread connection = reader;
        if (connection != null) {
            connection.interrupt();
        }
    }
}
