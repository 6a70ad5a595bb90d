package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageIds;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;
import chat.node.NodeConfig;
import chat.node.archive.ArchiveProducer;
import chat.node.auth.Tokens;
import chat.node.fanout.BusFrame;
import chat.node.fanout.BusListener;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.history.History;
import chat.node.socketio.SocketIoCodec;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A chat node: owns the hub, the bus, the archive producer and every connected client, and turns what the bus
 * delivers into frames for local sockets.
 */
public final class Node implements BusListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final Set<String> SERVER_EVENTS = Set.of("message", "dm", "typing", "presence", "announce");

    private final NodeConfig config;
    private final JsonCodec codec;
    private final MessageIds ids = new MessageIds();
    private final SecureRandom random = new SecureRandom();
    private final Tokens tokens;
    private final RoomBus bus;
    private final Hub hub;
    private final ArchiveProducer archive;
    private final History history;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final ScheduledExecutorService scheduler;
    private final ChatEvents events;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    /** Highest seq delivered per room, to fill what a lost subscription missed and skip what arrives twice. */
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong receivedFrames = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Wires a node from its collaborators.
     *
     * @param busFactory     makes the room bus, given the listener (this node) it must deliver to
     * @param historyFactory makes the history reader, given the bus
     */
    public Node(NodeConfig config, JsonCodec codec, Tokens tokens, Function<BusListener, RoomBus> busFactory,
                ArchiveProducer archive, Function<RoomBus, History> historyFactory, NodeMetrics metrics,
                Tracer tracer) {
        this.tracer = tracer;
        this.config = config;
        this.codec = codec;
        this.tokens = tokens;
        this.metrics = metrics;
        metrics.watchOpenSockets(clients::size);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("heartbeat").daemon().factory());
        this.bus = busFactory.apply(this);
        this.hub = new Hub(bus, lastSeq::remove);
        this.archive = archive;
        this.history = historyFactory.apply(bus);
        this.events = new ChatEvents(this);
    }

    /** A listener for a new WebSocket session. */
    public Client newClient() {
        return new Client(this);
    }

    @Override
    public void onFrame(String channel, BusFrame frame) {
        if (frame.traceparent() == null) {
            deliver(channel, frame);
            return;
        }
        Span span = tracer.spanBuilder(SpanNames.REDIS_DELIVER)
                .setParent(TraceParent.parse(frame.traceparent()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "redis")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "process")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, channel)
                .setAttribute(SpanNames.CHAT_SEQ, frame.seq())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            deliver(channel, frame);
        } finally {
            span.end();
        }
    }

    private void deliver(String channel, BusFrame frame) {
        metrics.receivedFromRedis();
        receivedFrames.incrementAndGet();
        if (!SERVER_EVENTS.contains(frame.kind())) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unknown bus event '" + frame.kind() + "'");
            return;
        }
        if (Channels.isRoom(channel) && frame.seq() > 0) {
            String room = Channels.subject(channel);
            Long last = lastSeq.get(room);
            if (last != null && frame.seq() <= last) {
                return;
            }
            lastSeq.put(room, frame.seq());
        }
        String socketFrame = SocketIoCodec.event("\"" + frame.kind() + "\"", frame.body());
        Span fanout = frame.traceparent() == null ? Span.getInvalid() : tracer.spanBuilder(SpanNames.FANOUT)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "send")
                .startSpan();
        int delivered = 0;
        if (Channels.BROADCAST.equals(channel)) {
            for (Client client : clients) {
                if (client.identity() != null) {
                    client.send(socketFrame);
                    delivered++;
                }
            }
        } else if (Channels.isRoom(channel)) {
            String room = Channels.subject(channel);
            delivered = deliverToRoom(room, frame.seq(), frame.exclude(), socketFrame);
        } else if (Channels.isUser(channel)) {
            for (Client client : hub.ofUser(Channels.subject(channel))) {
                client.send(socketFrame);
                delivered++;
            }
        }
        metrics.delivered(delivered);
        if (frame.seq() > 0 && delivered > 0) {
            metrics.deliveryLatency(System.currentTimeMillis() - frame.ts());
        }
        fanout.setAttribute(SpanNames.CHAT_SOCKETS, delivered);
        fanout.end();
    }

    private int deliverToRoom(String room, long seq, String exclude, String socketFrame) {
        int delivered = 0;
        for (Client client : hub.inRoom(room)) {
            if (!client.user().equals(exclude) && client.deliver(room, seq, socketFrame)) {
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * Delivers, from the recent buffer, the messages published while the subscription was down. Runs on the
     * subscriber thread before any frame of the new subscription, which then skips what this delivered.
     */
    private void catchUp() {
        for (Map.Entry<String, Long> entry : Map.copyOf(lastSeq).entrySet()) {
            String room = entry.getKey();
            if (!hub.hasRoom(room)) {
                lastSeq.remove(room);
                continue;
            }
            long last = entry.getValue();
            for (RoomBus.Recent missed : bus.recentAfter(room, last, config.recentPerRoom())) {
                last = missed.seq();
                deliverToRoom(room, missed.seq(), null, SocketIoCodec.event("\"message\"", missed.json()));
            }
            lastSeq.put(room, last);
        }
    }

    @Override
    public void onReconnected() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "catching up after reconnect failed: " + e.getMessage());
        }
        // Redis may have restarted empty: count this node's members back into presence, silently.
        for (Map.Entry<String, String> member : hub.presentUsers()) {
            try {
                bus.presence(member.getKey(), member.getValue(), true, null);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "presence resync failed: " + e.getMessage());
                return;
            }
        }
    }

    /** Sends an announcement to every connected socket of the cluster. */
    public void announce(String text) {
        ObjectNode payload = codec.mapper().createObjectNode();
        long now = System.currentTimeMillis();
        payload.put("text", text);
        payload.put("ts", now);
        bus.publish(Channels.BROADCAST, new BusFrame("announce", 0, now, null, null, codec.write(payload)));
    }

    void opened(Client client) {
        clients.add(client);
    }

    void connected(Client client) {
        metrics.connected();
        logConnection(ConnectionEvent.Type.CONNECT, client, null);
    }

    void closed(Client client, String reason) {
        clients.remove(client);
        if (client.identity() == null) {
            metrics.disconnected(reason);
            return;
        }
        for (String room : Set.copyOf(client.joinedRooms())) {
            client.forgetRoom(room);
            try {
                if (hub.leave(client, room)) {
                    bus.presence(room, client.user(), false, events.presenceFrame(room, client.user(), "leave"));
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "presence update for " + client.user() + " in " + room
                        + " failed: " + e.getMessage());
            }
        }
        hub.disconnect(client);
        logConnection(ConnectionEvent.Type.DISCONNECT, client, null);
        metrics.disconnected(reason);
    }

    void logConnection(ConnectionEvent.Type type, Client client, String room) {
        archive.log(new ConnectionEvent(type, client.user(), client.identity().name(), room, config.nodeId(),
                client.socketId(), System.currentTimeMillis()));
    }

    String newSessionId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether this node can serve: Redis subscribed and Kafka taking records. */
    public boolean ready() {
        return bus.connected() && archive.healthy();
    }

    public NodeConfig config() {
        return config;
    }

    public JsonCodec codec() {
        return codec;
    }

    public Tokens tokens() {
        return tokens;
    }

    public History history() {
        return history;
    }

    public RoomBus bus() {
        return bus;
    }

    public Tracer tracer() {
        return tracer;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** Frames this node received from Redis since it started. */
    public long receivedFrames() {
        return receivedFrames.get();
    }

    public int openSockets() {
        return clients.size();
    }

    Hub hub() {
        return hub;
    }

    ArchiveProducer archive() {
        return archive;
    }

    MessageIds ids() {
        return ids;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ChatEvents events() {
        return events;
    }

    @Override
    public void close() {
        for (Client client : Set.copyOf(clients)) {
            client.close("server_shutdown");
        }
        scheduler.shutdown();
        bus.close();
        archive.close();
    }
}
