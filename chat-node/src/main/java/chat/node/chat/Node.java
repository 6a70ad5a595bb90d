package chat.node.chat;

import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;
import chat.node.fanout.BusFrame;
import chat.node.fanout.BusListener;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.telemetry.NodeMetrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The node's end of the bus: turns each frame the bus delivers into one Socket.IO packet and hands it to the local
 * clients it is for (a room's members, a user's sockets, or everyone), in the order the bus delivered them.
 */
public final class Node implements BusListener {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());

    private final Hub hub;
    private final RoomBus bus;
    private final Presence presence;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final int recentPerRoom;
    private final Offsets offsets;
    private final Removals removals;
    private final AtomicLong receivedFrames = new AtomicLong();

    /**
     * @param recentPerRoom how many messages per room the bus keeps, the most a catch-up can replay
     * @param offsets       how message packets are made: with the offsets of connection state recovery, or not
     * @param removals      takes removed members' sockets out of their room before the frame that says so passes
     */
    public Node(Hub hub, RoomBus bus, Presence presence, NodeMetrics metrics, Tracer tracer, int recentPerRoom,
                Offsets offsets, Removals removals) {
        this.hub = hub;
        this.bus = bus;
        this.presence = presence;
        this.metrics = metrics;
        this.tracer = tracer;
        this.recentPerRoom = recentPerRoom;
        this.offsets = offsets;
        this.removals = removals;
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
        ChatEvent event = ChatEvent.fannedOut(frame.kind());
        if (event == null) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unknown bus event '" + frame.kind() + "'");
            return;
        }
        if (Channels.isRoom(channel) && frame.seq() > 0 && !hub.firstDelivery(Channels.subject(channel), frame.seq())) {
            return;
        }
        if (event == ChatEvent.MEMBERSHIP || event == ChatEvent.REMOVED) {
            removals.apply(channel, event, frame);
        }
        String room = frame.seq() <= 0 ? null
                : Channels.isRoom(channel) ? Channels.subject(channel)
                : Channels.isUser(channel) ? Payloads.roomOf(frame.body()) : null;
        String packet = offsets.event(event, room, frame.seq(), frame.body());
        Span fanout = frame.traceparent() == null ? Span.getInvalid() : tracer.spanBuilder(SpanNames.FANOUT)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "send")
                .startSpan();
        int delivered = 0;
        if (Channels.BROADCAST.equals(channel)) {
            for (Client client : hub.connected()) {
                client.send(packet);
                delivered++;
            }
        } else if (Channels.isRoom(channel)) {
            delivered = deliverToRoom(Channels.subject(channel), frame.seq(), frame.exclude(), packet);
        } else if (Channels.isUser(channel)) {
            delivered = deliverToUser(Channels.subject(channel), room, frame, packet);
        }
        metrics.delivered(delivered);
        if (frame.seq() > 0 && delivered > 0) {
            metrics.deliveryLatency(System.currentTimeMillis() - frame.ts());
        }
        fanout.setAttribute(SpanNames.CHAT_SOCKETS, delivered);
        fanout.end();
    }

    /** A user's events; a direct message after the ones of its conversation still on their way, in seq order. */
    private int deliverToUser(String user, String room, BusFrame frame, String packet) {
        Conversation conversation = room == null ? null : hub.conversation(user, room);
        if (conversation != null) {
            Conversation.Step step = conversation.place(frame.seq());
            if (!step.deliver()) {
                return 0;
            }
            int missing = (int) Math.min(frame.seq() - step.fillAfter() - 1, recentPerRoom);
            if (missing > 0) {
                for (RoomBus.Recent earlier : bus.recentAfter(room, step.fillAfter(), missing)) {
                    if (earlier.seq() < frame.seq()) {
                        sendToUser(user, offsets.event(eventOf(earlier, ChatEvent.DM), room, earlier.seq(),
                                earlier.json()));
                    }
                }
            }
        }
        return sendToUser(user, packet);
    }

    private int sendToUser(String user, String packet) {
        int delivered = 0;
        for (Client client : hub.ofUser(user)) {
            client.send(packet);
            delivered++;
        }
        return delivered;
    }

    private int deliverToRoom(String room, long seq, String exclude, String packet) {
        int delivered = 0;
        for (Client client : hub.inRoom(room)) {
            if (!client.user().equals(exclude) && client.deliver(room, seq, packet)) {
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * Delivers, from the recent buffer, the messages published while the rooms' subscription was down. Runs on the
     * subscriber thread before any frame of the new subscription, which then skips what this delivered. The counter
     * is lifted first, so that a promoted replica that lacks the last increments cannot assign a seq again that
     * this node already delivered.
     */
    private void catchUp(Set<String> rooms) {
        for (Map.Entry<String, Long> entry : hub.deliveredUpTo().entrySet()) {
            String room = entry.getKey();
            if (!rooms.contains(room)) {
                continue;
            }
            bus.raiseSeq(room, entry.getValue());
            for (RoomBus.Recent missed : bus.recentAfter(room, entry.getValue(), recentPerRoom)) {
                if (hub.firstDelivery(room, missed.seq())) {
                    deliverToRoom(room, missed.seq(), null,
                            offsets.event(eventOf(missed, ChatEvent.MESSAGE), room, missed.seq(), missed.json()));
                }
            }
        }
    }

    /** The event a recent-buffer entry is delivered as: its change's, or {@code message} (or {@code dm}). */
    private static ChatEvent eventOf(RoomBus.Recent entry, ChatEvent messageEvent) {
        ChatEvent change = entry.isChange() ? ChatEvent.fannedOut(entry.change()) : null;
        return change == null ? messageEvent : change;
    }

    @Override
    public void onResubscribed(Set<String> channels) {
        Set<String> rooms = channels.stream().filter(Channels::isRoom).map(Channels::subject)
                .collect(Collectors.toSet());
        try {
            catchUp(rooms);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "catching up after resubscribing failed: " + e.getMessage());
        }
        try {
            removals.recheck(rooms);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "checking private rooms' members after resubscribing failed: "
                    + e.getMessage());
        }
        // Redis may have restarted empty: count this node's members back into presence, silently.
        try {
            presence.register(rooms::contains, false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence resync failed: " + e.getMessage());
        }
    }

    /** Frames this node received from Redis since it started. */
    public long receivedFrames() {
        return receivedFrames.get();
    }
}
