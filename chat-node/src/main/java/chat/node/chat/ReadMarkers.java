package chat.node.chat;

import chat.common.JsonCodec;
import chat.common.ReadMarker;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;
import chat.node.archive.Archive;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.history.ArchivedReadMarkers;
import chat.node.history.History;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code read} event and what a join answers of read markers. A marker takes the path of a message: Redis raises
 * it (never back) and tells the user's sockets on every node, and the other user's in a direct conversation; Kafka
 * has it before the ack; the archiver keeps the highest in PostgreSQL, from where Redis gets it back when it lost it.
 * Each step is a span of the event's trace, as a message's are.
 */
public final class ReadMarkers {
    private static final System.Logger LOG = System.getLogger(ReadMarkers.class.getName());

    private final RoomBus bus;
    private final History history;
    private final ArchivedReadMarkers archived;
    private final Archive archive;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final JsonCodec codec;
    private final Limits limits;

    /**
     * @param archived the archive's markers, or null when this node has no database configured: Redis then holds
     *                 them alone
     */
    public ReadMarkers(RoomBus bus, History history, ArchivedReadMarkers archived, Archive archive,
                       NodeMetrics metrics, Tracer tracer, JsonCodec codec, Limits limits) {
        this.bus = bus;
        this.history = history;
        this.archived = archived;
        this.archive = archive;
        this.metrics = metrics;
        this.tracer = tracer;
        this.codec = codec;
        this.limits = limits;
    }

    /**
     * Who sees a user's read position in a room: in a direct conversation the other user (read receipts); a public
     * room shares nobody's. The one place to widen that, e.g. for a private group whose members see each other's.
     */
    static List<String> sharedWith(String user, String room) {
        String[] members = Names.directMembers(room);
        if (members == null) {
            return List.of();
        }
        String other = members[0].equals(user) ? members[1] : members[0];
        return other.equals(user) ? List.of() : List.of(other);
    }

    /** Marks the room read up to {@code seq} (the room's latest at most); the ack waits for Kafka. */
    CompletableFuture<ObjectNode> read(Client client, ObjectNode body) {
        long acceptedNanos = System.nanoTime();
        String room = Payloads.room(body);
        Payloads.checkReadable(client, room);
        long seq = Payloads.requiredSeq(body, "seq");
        String user = client.user();
        Span receive = tracer.spanBuilder(SpanNames.RECEIVE)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "receive")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, room)
                .setAttribute(SpanNames.CHAT_EVENT, ChatEvent.READ.wire())
                .setAttribute(SpanNames.CHAT_SEQ, seq)
                .startSpan();
        Context context = Context.current().with(receive);
        RoomBus.Marker marker;
        try (Scope ignored = receive.makeCurrent()) {
            // First, so that a marker Redis lost is back before this one is compared with it.
            markersOf(user, List.of(room));
            // A seq past the room's latest would hide messages not sent yet.
            marker = raise(user, room, Math.min(seq, bus.latestSeq(room)), context);
        } catch (RuntimeException e) {
            receive.recordException(e);
            receive.setStatus(StatusCode.ERROR);
            receive.end();
            throw e;
        }
        metrics.readMark(marker.moved());
        long produceStart = System.nanoTime();
        // Produced even when it did not move: an earlier ack may have said unavailable before Kafka had it.
        return archive.mark(new ReadMarker(user, room, marker.seq(), System.currentTimeMillis()), context)
                .orTimeout(limits.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    try (Scope scope = receive.makeCurrent()) {
                        if (failure != null) {
                            throw notDurable(receive, user, room, failure);
                        }
                        metrics.kafkaProduced(System.nanoTime() - produceStart);
                        ObjectNode ack = Payloads.ok(codec.mapper());
                        ack.put("room", room);
                        ack.put("seq", marker.seq());
                        metrics.readAckLatency(System.nanoTime() - acceptedNanos);
                        return ack;
                    } finally {
                        receive.end();
                    }
                });
    }

    /**
     * What a join answers of read markers: {@code read}, the user's marker; {@code unread}, how many messages come
     * after it up to the room's {@code latest}; and in a room that shares read positions, {@code reads}, the others'
     * markers by user.
     */
    void answerJoin(Client client, String room, long latest, ObjectNode answer) {
        long read = markersOf(client.user(), List.of(room)).get(room);
        answer.put("read", read);
        answer.put("unread", history.countAfter(room, read, latest, limits.unreadArchiveCap()));
        List<String> others = sharedWith(client.user(), room);
        if (!others.isEmpty()) {
            ObjectNode reads = answer.putObject("reads");
            for (String other : others) {
                reads.put(other, markersOf(other, List.of(room)).get(room));
            }
        }
    }

    /** The script as a CLIENT span, whose context the published frame carries to the nodes of the user's sockets. */
    private RoomBus.Marker raise(String user, String room, long seq, Context parent) {
        Span span = tracer.spanBuilder(SpanNames.REDIS_RAISE_READ_MARKER)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SpanNames.DB_SYSTEM, "redis")
                .setAttribute(SpanNames.DB_OPERATION, "EVALSHA")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, Channels.user(user))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            String traceparent = span.getSpanContext().isSampled() ? TraceParent.of(span) : null;
            ObjectNode payload = codec.mapper().createObjectNode();
            payload.put("room", room);
            payload.put("user", user);
            String open = codec.write(payload);
            // The event is {"room":…,"user":…,"seq":<marker>}; the script puts in the marker it ends up with.
            String before = new BusFrame(ChatEvent.READ.wire(), 0, System.currentTimeMillis(), traceparent, null,
                    open.substring(0, open.length() - 1) + ",\"seq\":").encode();
            List<String> channels = new ArrayList<>();
            channels.add(Channels.user(user));
            sharedWith(user, room).forEach(other -> channels.add(Channels.user(other)));
            RoomBus.Marker marker = bus.raiseReadMarker(user, room, seq, channels, before, "}");
            span.setAttribute(SpanNames.CHAT_SEQ, marker.seq());
            return marker;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The user's markers of the rooms (0 where none). When Redis does not hold the archive's markers of the user (it
     * lost them, or let them expire unused), they are read from the archive and merged in first, none moving back.
     * Should the archive fail, what Redis holds is the answer, and the archive is asked again next time.
     */
    private Map<String, Long> markersOf(String user, List<String> rooms) {
        RoomBus.UserMarkers markers = bus.readMarkers(user, rooms);
        if (markers.loaded() || archived == null) {
            return markers.seqs();
        }
        Map<String, Long> fromArchive;
        try {
            fromArchive = archived.of(user);
        } catch (RuntimeException e) {
            metrics.readMarkersLoaded(false);
            LOG.log(System.Logger.Level.WARNING, "the archived read markers of " + user + " could not be read; "
                    + "answering with what Redis holds: " + e.getMessage());
            return markers.seqs();
        }
        bus.loadReadMarkers(user, fromArchive);
        metrics.readMarkersLoaded(true);
        Map<String, Long> merged = new HashMap<>(markers.seqs());
        for (String room : rooms) {
            merged.merge(room, fromArchive.getOrDefault(room, 0L), Math::max);
        }
        return merged;
    }

    /** Counts and logs a marker Kafka did not take in time; returns the answer for the client. */
    private ChatException notDurable(Span receive, String user, String room, Throwable failure) {
        metrics.kafkaError();
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause);
        LOG.log(System.Logger.Level.WARNING, "read marker of " + user + " in " + room + " not durable: " + why);
        receive.setStatus(StatusCode.ERROR, "not durable: " + why);
        return new ChatException(ErrorCode.UNAVAILABLE, "the read marker could not be stored in time; send it again");
    }

    /**
     * @param ackTimeout       how long a read event waits for Kafka before its ack says unavailable
     * @param unreadArchiveCap the most messages from before Redis lost a room's counter that a join's {@code unread}
     *                         counts in the archive
     */
    public record Limits(Duration ackTimeout, int unreadArchiveCap) {
    }
}
