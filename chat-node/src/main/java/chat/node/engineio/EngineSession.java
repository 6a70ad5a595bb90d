package chat.node.engineio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One Engine.IO v4 session, whatever carries it: handshake, heartbeat, the bounded outbox, oversize packets,
 * closing, and the upgrade from polling to WebSocket. Its {@link Transport} moves packets; its {@link Handler} (the
 * Socket.IO layer) sees only message payloads and the close.
 *
 * <p>Packets leave through one queue in the order they were sent, whichever transport takes them, so an upgrade
 * neither loses nor reorders anything.
 */
public final class EngineSession {
    private static final System.Logger LOG = System.getLogger(EngineSession.class.getName());
    /** How long a closing session waits for its client to take the close packet before dropping the connection. */
    private static final long CLOSE_GRACE_SECONDS = 5;
    /** The close reason of a client cut off for not reading its packets. */
    private static final String OUTBOX_OVERFLOW = "outbox_overflow";

    /** What the layer above sees of a session. */
    public interface Handler {
        /** A message packet's payload (the text after the {@code 4}); packets arrive one at a time. */
        void onMessage(String data) throws MalformedPacketException;

        /** A packet above {@code maxPayload}; true if handled, false to close the session. */
        boolean onOversize(String packet);

        /** The session ended; called once, on a thread of its own, so it may block. */
        void onClose(String reason);
    }

    private enum State { OPEN, CLOSING, CLOSED }

    private final String sid;
    private final EngineConfig config;
    private final ScheduledExecutorService scheduler;
    private final Consumer<EngineSession> onEnd;
    private final Runnable onOverflow;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock inbound = new ReentrantLock();
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private Transport transport;
    private Transport probe;
    private boolean probed;
    private boolean pollWaiting;
    private boolean pollOverlap;
    /** Written under the lock; read without it where a stale value only delays a check. */
    private volatile State state = State.OPEN;
    private volatile boolean closedByClient;
    private volatile Handler handler;
    /** Packets ever queued in the outbox, written under the lock: the position of the last one. */
    private volatile long queued;
    /** The position of the last ping queued, and of the last one the client answered (see {@link #receivedCount}). */
    private volatile long pingPosition;
    private volatile long received;
    private final Heartbeat heartbeat;
    private ScheduledFuture<?> probeDeadline;

    /**
     * A session on its first transport; {@link #start} begins it.
     *
     * @param onEnd      told once when the session is over, to forget it
     * @param onOverflow told when the session is cut off for a full outbox, on the sender's thread (never blocks)
     */
    EngineSession(String sid, EngineConfig config, ScheduledExecutorService scheduler, Transport transport,
                  Consumer<EngineSession> onEnd, Runnable onOverflow) {
        this.sid = sid;
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.onEnd = onEnd;
        this.onOverflow = onOverflow;
        this.heartbeat = new Heartbeat(scheduler, config.pingInterval(), config.pingTimeout(),
                this::ping, () -> end("ping_timeout", true));
    }

    /** Queues the open packet and starts the heartbeat; the handler gets everything the client sends from now on. */
    void start(Handler sessionHandler) {
        this.handler = sessionHandler;
        send(EngineCodec.open(sid, transport.polling(), config.pingInterval().toMillis(),
                config.pingTimeout().toMillis(), config.maxPayload()));
        heartbeat.start();
    }

    public String sid() {
        return sid;
    }

    /** The name of the transport that carries the session now ({@code polling} or {@code websocket}). */
    public String transportName() {
        lock.lock();
        try {
            return transport.polling() ? "polling" : "websocket";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a whole Engine.IO packet ({@code 42[...]} for a Socket.IO event). Never blocks: a client whose queue
     * is full is cut off, on the caller's thread, without waiting for its transport.
     *
     * @return false when the session is closing or was just cut off
     */
    public boolean send(String packet) {
        return enqueue(packet, false) > 0;
    }

    /**
     * Queues a packet as {@link #send} does; returns its position in the session (from 1), 0 when not queued. A
     * ping's position is remembered before the packet can leave, so that its pong, however fast, finds it.
     */
    private long enqueue(String packet, boolean ping) {
        Transport carrier;
        long position;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return 0;
            }
            if (outbox.size() < config.outboxPackets()) {
                if (ping) {
                    pingPosition = queued + 1;
                }
                outbox.add(packet);
                changed.signalAll();
                carrier = transport;
                position = ++queued;
            } else {
                carrier = null;
                position = 0;
            }
        } finally {
            lock.unlock();
        }
        if (carrier != null) {
            carrier.wake();
            return position;
        }
        LOG.log(System.Logger.Level.INFO, "cutting off " + sid + ": outbound queue overflowed");
        onOverflow.run();
        end(OUTBOX_OVERFLOW, true);
        return 0;
    }

    /** The heartbeat's ping; its position is remembered, so that the pong tells what the client has received. */
    private boolean ping() {
        return enqueue(EngineCodec.PING, true) > 0;
    }

    /** How many packets were queued on this session so far. */
    public long sentCount() {
        return queued;
    }

    /**
     * How many of the first packets queued the client has received for certain: those up to the last ping it
     * answered. Packets leave in the order they were queued, over one transport at a time, so a client that read
     * the ping read everything before it. (The heartbeat sends no ping while one waits for its answer.)
     */
    public long receivedCount() {
        return received;
    }

    /** Handles the packets of a polling POST, refused once the session has moved to a WebSocket. */
    void receivePosted(List<String> packets) throws EngineError.Refusal, MalformedPacketException {
        lock.lock();
        try {
            if (!transport.polling()) {
                throw new EngineError.Refusal(EngineError.BAD_REQUEST);
            }
        } finally {
            lock.unlock();
        }
        for (String packet : packets) {
            receive(packet);
        }
    }

    /** Handles one packet from the client; a malformed one closes the session and is rethrown to the transport. */
    void receive(String packet) throws MalformedPacketException {
        inbound.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            if (packet.length() > config.maxPayload()) {
                if (!handler.onOversize(packet)) {
                    close("payload_too_large");
                }
                return;
            }
            EnginePacket decoded = EngineCodec.decode(packet);
            switch (decoded.type()) {
                case MESSAGE -> handler.onMessage(decoded.payload());
                case PONG -> {
                    // Read first: once the heartbeat sees the pong it may queue the next ping.
                    long answered = pingPosition;
                    heartbeat.pong();
                    received = answered;
                }
                case PING -> send(EngineCodec.pong(decoded.payload()));
                case CLOSE -> end("client_closed", false);
                case UPGRADE, NOOP -> {
                }
                case OPEN -> throw new MalformedPacketException("a client cannot send an open packet");
            }
        } catch (MalformedPacketException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + sid + ": " + e.getMessage());
            end("malformed_packet", false);
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure handling a packet of " + sid, e);
            end("internal_error", false);
        } finally {
            inbound.unlock();
        }
    }

    /**
     * What the WebSocket writer of {@code writer} is to do now; never waits. Everything queued is taken at once, so
     * that the writer can put it on the wire in one write.
     */
    Outgoing forSocket(Transport writer) {
        lock.lock();
        try {
            if (transport != writer) {
                return Outgoing.STOP;
            }
            if (!outbox.isEmpty()) {
                return Outgoing.write(drain());
            }
            return state == State.OPEN ? Outgoing.IDLE : Outgoing.CLOSE;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code writer}'s writer, having gone idle, has something to do after all. */
    boolean hasWorkFor(Transport writer) {
        lock.lock();
        try {
            return transport == writer && (!outbox.isEmpty() || state != State.OPEN);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A polling GET: waits for packets and answers them. A probe in progress releases it at once with a noop, so
     * the client can pause polling; a second GET while one waits ends the session (the first one answers close).
     */
    List<String> poll() throws EngineError.Refusal, InterruptedException {
        lock.lock();
        try {
            if (!transport.polling()) {
                throw new EngineError.Refusal(EngineError.BAD_REQUEST);
            }
            if (state == State.CLOSED) {
                throw new EngineError.Refusal(EngineError.UNKNOWN_SID);
            }
            if (pollWaiting) {
                pollOverlap = true;
                changed.signalAll();
                lock.unlock();
                try {
                    end("polling_overlap", false);
                } finally {
                    lock.lock();
                }
                throw new EngineError.Refusal(EngineError.BAD_REQUEST);
            }
            pollWaiting = true;
            try {
                return awaitPoll();
            } finally {
                pollWaiting = false;
            }
        } finally {
            lock.unlock();
        }
    }

    private List<String> awaitPoll() throws InterruptedException {
        while (true) {
            if (pollOverlap) {
                return List.of(EngineCodec.CLOSE);
            }
            if (!transport.polling()) {
                // Upgraded while this GET waited: what is queued now belongs to the WebSocket.
                return List.of(EngineCodec.NOOP);
            }
            if (!outbox.isEmpty()) {
                List<String> packets = drain();
                if (state == State.CLOSING) {
                    finishLocked();
                }
                return packets;
            }
            if (state == State.CLOSED && !closedByClient) {
                return List.of(EngineCodec.CLOSE);
            }
            if (state != State.OPEN || probed) {
                return List.of(EngineCodec.NOOP);
            }
            changed.await();
        }
    }

    private List<String> drain() {
        List<String> packets = new ArrayList<>(outbox);
        outbox.clear();
        return packets;
    }

    /** Whether a polling session can take an upgrade probe now. */
    boolean acceptsProbe() {
        lock.lock();
        try {
            return state == State.OPEN && transport.polling() && probe == null;
        } finally {
            lock.unlock();
        }
    }

    /** A WebSocket opened with this session's sid; it has {@code upgradeTimeout} to complete the upgrade. */
    boolean beginProbe(Transport candidate) {
        lock.lock();
        try {
            if (state != State.OPEN || !transport.polling() || probe != null) {
                return false;
            }
            probe = candidate;
            probeDeadline = scheduler.schedule(() -> abandonProbe(candidate, true),
                    config.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The probe's {@code 2probe} arrived: pending and new polls answer at once so the client pauses polling. */
    boolean probed(Transport candidate) {
        lock.lock();
        try {
            // One probe per WebSocket: answering repeats would let a client that reads nothing fill the socket.
            if (probe != candidate || probed) {
                return false;
            }
            probed = true;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The probe's {@code 5}: the session moves to it, with everything still queued. */
    boolean upgrade(Transport candidate) {
        Transport old;
        lock.lock();
        try {
            // A session closing meanwhile still moves, so that its last packets (the close among them) reach the
            // client, which has paused polling by now.
            if (probe != candidate || !probed || state == State.CLOSED) {
                return false;
            }
            old = transport;
            transport = candidate;
            probe = null;
            probed = false;
            probeDeadline.cancel(false);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        old.close();
        return true;
    }

    /** The probe failed or went away before upgrading; the session stays where it was. */
    void abandonProbe(Transport candidate, boolean closeIt) {
        lock.lock();
        try {
            if (probe != candidate) {
                return;
            }
            probe = null;
            probed = false;
            probeDeadline.cancel(false);
        } finally {
            lock.unlock();
        }
        if (closeIt) {
            // The deadline runs on the heartbeat thread, which a close blocked on a full socket must not hold.
            Thread.ofVirtual().name("close-probe-" + sid).start(candidate::close);
        }
    }

    /** A polling request that cannot be served (too large, not readable) ends the session. */
    void refused(String reason) {
        end(reason, false);
    }

    /** The transport reports its connection gone. */
    void transportClosed(Transport gone, String reason) {
        lock.lock();
        try {
            if (gone == probe) {
                probe = null;
                probed = false;
                probeDeadline.cancel(false);
                return;
            }
            if (gone != transport) {
                return;
            }
        } finally {
            lock.unlock();
        }
        end(reason, false);
    }

    /**
     * Ends the session gracefully: what is queued goes out, then the close packet, then the transport closes. A
     * client that does not take them within five seconds is cut off.
     */
    public void close(String reason) {
        Transport carrier;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            outbox.add(EngineCodec.CLOSE);
            state = State.CLOSING;
            changed.signalAll();
            carrier = transport;
        } finally {
            lock.unlock();
        }
        carrier.wake();
        heartbeat.stop();
        notifyClosed(reason);
        try {
            scheduler.schedule(() -> end(reason, true), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The server is shutting down: no grace period to wait for.
            end(reason, true);
        }
    }

    /** Ends the session at once, dropping what is queued; {@code cutOff} drops the connection without a close. */
    private void end(String reason, boolean cutOff) {
        boolean wasOpen;
        Transport current;
        Transport probing;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            wasOpen = state == State.OPEN;
            current = transport;
            probing = probe;
            if (probeDeadline != null) {
                probeDeadline.cancel(false);
            }
            closedByClient = "client_closed".equals(reason);
            outbox.clear();
            finishLocked();
        } finally {
            lock.unlock();
        }
        heartbeat.stop();
        if (wasOpen) {
            notifyClosed(reason);
        }
        if (probing != null) {
            probing.abort();
        }
        if (cutOff) {
            current.abort();
        } else {
            // A graceful WebSocket close can wait on a peer that stopped reading; callers include the heartbeat.
            Thread.ofVirtual().name("close-" + sid).start(current::close);
        }
    }

    private void finishLocked() {
        state = State.CLOSED;
        changed.signalAll();
        onEnd.accept(this);
    }

    /** A writer finished sending the close packet of a closing session. */
    void closed() {
        lock.lock();
        try {
            if (state != State.CLOSED) {
                finishLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void notifyClosed(String reason) {
        Handler current = handler;
        if (current != null) {
            // After the packet being handled, if any: onClose comes last, as the handler is promised.
            Thread.ofVirtual().name("close-" + sid).start(() -> {
                inbound.lock();
                try {
                    current.onClose(reason);
                } finally {
                    inbound.unlock();
                }
            });
        }
    }
}
