package chat.node.chat;

import chat.node.auth.Identity;
import chat.node.socketio.EngineFrame;
import chat.node.socketio.MalformedPacketException;
import chat.node.socketio.Packet;
import chat.node.socketio.PacketType;
import chat.node.socketio.SocketIoCodec;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection's state machine: Engine.IO handshake and heartbeat, Socket.IO namespace connection
 * with a token, then chat events. Frames from the socket are handled one at a time on its reader thread; frames to
 * it go through its {@link SessionOutbox}.
 */
public final class Client implements WsListener {
    private static final System.Logger LOG = System.getLogger(Client.class.getName());
    private static final long CLOSE_GRACE_SECONDS = 5;

    private final Node node;
    private final String sid;
    private final Map<String, RoomFeed> rooms = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private final RateLimiter messageLimit;
    private final RateLimiter eventLimit;
    private volatile WsSession session;
    private volatile SessionOutbox outbox;
    private volatile Identity identity;
    private volatile String socketId;
    private volatile long lastPongNanos;
    private volatile long lastPingNanos;
    private volatile Thread connection;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> connectDeadline;

    Client(Node node) {
        this.node = node;
        this.sid = node.newSessionId();
        this.messageLimit = new RateLimiter(node.config().messagesPerSecond(), node.config().messageBurst());
        this.eventLimit = new RateLimiter(node.config().messagesPerSecond() * 5, node.config().messageBurst() * 5);
    }

    /** Refuses, with HTTP 400, an upgrade that is not Engine.IO v4 over WebSocket. */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        UriQuery query = prologue.query();
        if (!"4".equals(query.first("EIO").orElse(null))
                || !"websocket".equals(query.first("transport").orElse(null))) {
            throw new WsUpgradeException("Bad request: this server speaks EIO=4 over transport=websocket");
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        this.outbox = new SessionOutbox(session, node.config().outboxFrames(), sid, this::onOverflow);
        var config = node.config();
        outbox.offer(SocketIoCodec.open(sid, config.pingInterval().toMillis(), config.pingTimeout().toMillis(),
                config.maxPayload()));
        lastPongNanos = System.nanoTime();
        long interval = config.pingInterval().toMillis();
        heartbeat = node.scheduler().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        connectDeadline = node.scheduler().schedule(() -> {
            if (identity == null) {
                closeLater("connect_timeout");
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        node.opened(this);
        // Helidon reports a peer that vanished (no close frame) to no listener method; the connection's thread
        // ending is the one sure sign, so a virtual thread waits for it.
        Thread connection = Thread.currentThread();
        this.connection = connection;
        Thread.ofVirtual().name("watch-" + sid).start(() -> {
            try {
                connection.join();
                cleanup("transport_closed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (closed.get()) {
            return;
        }
        if (!last || !partial.isEmpty()) {
            partial.append(text);
            if (partial.length() > node.config().maxPayload() * 2L) {
                close("payload_too_large");
                return;
            }
            if (!last) {
                return;
            }
            text = partial.toString();
            partial.setLength(0);
        }
        try {
            onFrame(text);
        } catch (MalformedPacketException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + sid + ": " + e.getMessage());
            close("malformed_packet");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure handling a frame of " + sid, e);
            close("internal_error");
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        // Engine.IO v4 over WebSocket sends binary frames only for binary attachments, which this server refuses.
        close("binary_frame");
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        cleanup("client_closed");
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "socket error on " + sid + ": " + t.getMessage());
        cleanup("transport_error");
    }

    private void onFrame(String text) throws MalformedPacketException {
        if (text.length() > node.config().maxPayload()) {
            refuseOversize(text);
            return;
        }
        EngineFrame frame = SocketIoCodec.decodeEngine(text);
        switch (frame.type()) {
            case PONG -> lastPongNanos = System.nanoTime();
            case PING -> outbox.offer(SocketIoCodec.pong(frame.payload()));
            case CLOSE -> close("client_closed");
            case MESSAGE -> onPacket(SocketIoCodec.decode(frame.payload()));
            case UPGRADE, NOOP -> {
            }
            case OPEN -> throw new MalformedPacketException("a client cannot send an open packet");
        }
    }

    /** Answers an oversize event with {@code too_large} when it asked for an ack, else closes like Engine.IO. */
    private void refuseOversize(String text) {
        int pos = 3;
        while (pos < text.length() && pos < 20 && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (text.startsWith("42") && pos > 2 && pos < text.length() && text.charAt(pos) == '[' && identity != null) {
            long ackId = Long.parseLong(text, 2, pos, 10);
            node.metrics().event("unknown", ErrorCode.TOO_LARGE.wire());
            sendAck(ackId, node.events().error(ErrorCode.TOO_LARGE,
                    "packet exceeds maxPayload of " + node.config().maxPayload() + " bytes"));
        } else {
            close("payload_too_large");
        }
    }

    private void onPacket(Packet packet) throws MalformedPacketException {
        if (!Packet.ROOT_NAMESPACE.equals(packet.namespace())) {
            if (packet.type() == PacketType.CONNECT) {
                outbox.offer(SocketIoCodec.connectError(packet.namespace(), "\"Invalid namespace\""));
            }
            return;
        }
        switch (packet.type()) {
            case CONNECT -> onConnect(packet);
            case DISCONNECT -> close("client_disconnect");
            case EVENT -> onEvent(packet);
            case BINARY_EVENT, BINARY_ACK -> {
                if (packet.wantsAck()) {
                    sendAck(packet.ackId(), node.events().error(ErrorCode.BAD_REQUEST,
                            "binary packets are not supported"));
                }
            }
            case ACK -> {
                // The server never asks clients for acks; a stray one is harmless.
            }
            case CONNECT_ERROR -> throw new MalformedPacketException("a client cannot send CONNECT_ERROR");
        }
    }

    private void onConnect(Packet packet) {
        if (identity != null) {
            outbox.offer(SocketIoCodec.connectAccepted(socketId));
            return;
        }
        String token = node.events().token(packet.data());
        Identity verified = node.tokens().verify(token).orElse(null);
        if (verified == null) {
            node.metrics().refused("auth");
            outbox.offer(SocketIoCodec.connectError(Packet.ROOT_NAMESPACE, "\"unauthorized\""));
            return;
        }
        identity = verified;
        try {
            node.hub().connect(this).get(node.config().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            node.hub().disconnect(this);
            identity = null;
            LOG.log(System.Logger.Level.WARNING, "could not subscribe the user channel of " + verified.user()
                    + ": " + e);
            outbox.offer(SocketIoCodec.connectError(Packet.ROOT_NAMESPACE, "\"unavailable\""));
            return;
        }
        socketId = node.newSessionId();
        connectDeadline.cancel(false);
        outbox.offer(SocketIoCodec.connectAccepted(socketId));
        node.connected(this);
    }

    private void onEvent(Packet packet) {
        if (identity == null) {
            if (packet.wantsAck()) {
                sendAck(packet.ackId(), node.events().error(ErrorCode.UNAUTHORIZED, "connect first"));
            }
            return;
        }
        node.events().handle(this, packet);
    }

    /** Queues an ack for the given id; {@code payloadJson} is the encoded ack object. */
    void sendAck(long ackId, String payloadJson) {
        outbox.offer(SocketIoCodec.ack(ackId, payloadJson));
    }

    /** Queues an already-encoded frame. */
    public void send(String frame) {
        SessionOutbox current = outbox;
        if (current != null) {
            current.offer(frame);
        }
    }

    /** Delivers a room frame, honouring the join boundary of {@link RoomFeed}; false if not a member. */
    public boolean deliver(String room, long seq, String frame) {
        RoomFeed feed = rooms.get(room);
        if (feed == null) {
            return false;
        }
        feed.offer(seq, frame, outbox);
        return true;
    }

    RoomFeed startJoin(String room) {
        return rooms.computeIfAbsent(room, r -> new RoomFeed());
    }

    boolean inRoom(String room) {
        return rooms.containsKey(room);
    }

    void forgetRoom(String room) {
        rooms.remove(room);
    }

    Set<String> joinedRooms() {
        return rooms.keySet();
    }

    RateLimiter messageLimit() {
        return messageLimit;
    }

    RateLimiter eventLimit() {
        return eventLimit;
    }

    SessionOutbox outbox() {
        return outbox;
    }

    public String user() {
        Identity current = identity;
        return current == null ? "" : current.user();
    }

    public Identity identity() {
        return identity;
    }

    public String socketId() {
        return socketId;
    }

    public String sid() {
        return sid;
    }

    private void heartbeat() {
        long timeoutNanos = node.config().pingTimeout().toNanos();
        if (lastPingNanos != 0 && lastPongNanos < lastPingNanos
                && System.nanoTime() - lastPingNanos > timeoutNanos) {
            closeLater("ping_timeout");
            return;
        }
        if (lastPingNanos == 0 || lastPongNanos >= lastPingNanos) {
            lastPingNanos = System.nanoTime();
            outbox.offer(SocketIoCodec.ping());
            node.scheduler().schedule(this::checkPong, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkPong() {
        if (lastPongNanos < lastPingNanos) {
            closeLater("ping_timeout");
        }
    }

    /** Closes on a virtual thread: cleanup talks to Redis and Kafka, which the heartbeat thread must not wait for. */
    private void closeLater(String reason) {
        Thread.ofVirtual().start(() -> close(reason));
    }

    /** Runs on whichever thread overflowed the queue (often the Redis subscriber), so nothing here may block. */
    private void onOverflow() {
        node.metrics().overflowDisconnect();
        LOG.log(System.Logger.Level.INFO, "cutting off " + sid + " (" + user() + "): outbound queue overflowed");
        cutOff();
        Thread.ofVirtual().start(() -> cleanup("outbox_overflow"));
    }

    /** Drops the connection without a close handshake, which would queue behind the writes that are stuck. */
    private void cutOff() {
        SessionOutbox current = outbox;
        if (current != null) {
            current.abort();
        }
        Thread reader = connection;
        if (reader != null) {
            reader.interrupt();
        }
    }

    /**
     * Ends the session: Engine.IO close packet and WebSocket close after what is queued, then the same cleanup
     * as a client close. A socket that does not take the close in time is cut off.
     */
    public void close(String reason) {
        if (closed.get()) {
            return;
        }
        SessionOutbox current = outbox;
        if (current != null) {
            current.offer("1");
            current.closeAfterFlush();
        }
        cleanup(reason);
        node.scheduler().schedule(() -> {
            Thread reader = connection;
            if (reader != null && reader.isAlive()) {
                cutOff();
            }
        }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void cleanup(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        SessionOutbox current = outbox;
        if (current != null && !current.isClosed()) {
            current.abort();
        }
        node.closed(this, reason);
    }
}
