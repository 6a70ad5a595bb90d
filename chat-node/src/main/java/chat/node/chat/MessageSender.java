package chat.node.chat;

import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageIds;
import chat.common.telemetry.SpanNames;
import chat.node.archive.Archive;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.fanout.Sequenced;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code message} and {@code dm} events: Redis assigns the seq and publishes, Kafka stores, and the ack waits
 * for Kafka (docs/ARCHITECTURE.md, "The durable path"). Each step is a span of the message's trace.
 */
public final class MessageSender {
    private static final System.Logger LOG = System.getLogger(MessageSender.class.getName());
    private static final int MAX_CID_LENGTH = 128;

    private final RoomBus bus;
    private final Archive archive;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final JsonCodec codec;
    private final Limits limits;
    private final MessageIds ids = new MessageIds();
    private volatile boolean draining;

    public MessageSender(RoomBus bus, Archive archive, NodeMetrics metrics, Tracer tracer, JsonCodec codec,
                         Limits limits) {
        this.bus = bus;
        this.archive = archive;
        this.metrics = metrics;
        this.tracer = tracer;
        this.codec = codec;
        this.limits = limits;
    }

    CompletableFuture<ObjectNode> message(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        if (!client.inRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "join the room before sending to it");
        }
        return send(client, "message", room, channelsOf(room), body, false);
    }

    CompletableFuture<ObjectNode> dm(Client client, ObjectNode body) {
        String to = Payloads.requiredText(body, "to");
        if (!Names.isUser(to)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'to' must be a user id");
        }
        String room = Names.directRoom(client.user(), to);
        return send(client, "dm", room, channelsOf(room), body, true);
    }

    /** A room's events go on its channel; a direct conversation's on both users' channels (one when it is a note to self). */
    static List<String> channelsOf(String room) {
        String[] members = Names.directMembers(room);
        if (members == null) {
            return List.of(Channels.room(room));
        }
        return members[0].equals(members[1]) ? List.of(Channels.user(members[0]))
                : List.of(Channels.user(members[0]), Channels.user(members[1]));
    }

    private CompletableFuture<ObjectNode> send(Client client, String kind, String room, List<String> channels,
                                               ObjectNode body, boolean withRoom) {
        long acceptedNanos = System.nanoTime();
        String text = text(body, limits);
        String cid = cid(body);
        if (!client.messageLimit().tryAcquire()) {
            metrics.refused("rate");
            throw new ChatException(ErrorCode.RATE_LIMITED, "too many messages, slow down");
        }
        if (draining) {
            throw new ChatException(ErrorCode.UNAVAILABLE,
                    "this node is shutting down; reconnect and resend with the same cid");
        }
        return accepted(client, kind, room, channels, text, cid, withRoom, acceptedNanos);
    }

    private CompletableFuture<ObjectNode> accepted(Client client, String kind, String room, List<String> channels,
                                                   String text, String cid, boolean withRoom, long acceptedNanos) {
        ChatMessage draft = new ChatMessage(ids.next(), room, 0, client.user(), text,
                System.currentTimeMillis(), cid);
        Span receive = tracer.spanBuilder(SpanNames.RECEIVE)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "receive")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, room)
                .setAttribute(SpanNames.MESSAGING_MESSAGE_ID, draft.id())
                .setAttribute(SpanNames.CHAT_EVENT, kind)
                .startSpan();
        Context context = Context.current().with(receive);
        Sequenced sequenced;
        try {
            sequenced = publish(kind, draft, channels, context);
        } catch (RuntimeException e) {
            receive.recordException(e);
            receive.setStatus(StatusCode.ERROR);
            receive.end();
            throw e;
        }
        ChatMessage message = sequenced.message();
        receive.setAttribute(SpanNames.CHAT_SEQ, message.seq());
        long produceStart = System.nanoTime();
        return archive.append(new ArchiveRecord(message, client.identity().name()), context)
                .orTimeout(limits.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    try (Scope scope = receive.makeCurrent()) {
                        if (failure != null) {
                            metrics.kafkaError();
                            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                            String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause);
                            LOG.log(System.Logger.Level.WARNING, "message " + message.id() + " not durable: " + why);
                            receive.setStatus(StatusCode.ERROR, "not durable: " + why);
                            throw new ChatException(ErrorCode.UNAVAILABLE,
                                    "the message could not be stored in time; resend it with the same cid");
                        }
                        metrics.kafkaProduced(System.nanoTime() - produceStart);
                        ObjectNode ack = Payloads.ok(codec.mapper());
                        ack.put("id", message.id());
                        if (withRoom) {
                            ack.put("room", message.room());
                        }
                        ack.put("seq", message.seq());
                        ack.put("ts", message.ts());
                        // Inside the receive span, so the histogram's exemplar names this message's trace.
                        metrics.ackLatency(System.nanoTime() - acceptedNanos);
                        return ack;
                    } finally {
                        receive.end();
                    }
                });
    }

    /** The payload's {@code text}, as every message text must be (an edit's too). */
    static String text(ObjectNode body, Limits limits) {
        String text = Payloads.requiredText(body, "text");
        if (text.isEmpty()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'text' must not be empty");
        }
        if (text.codePointCount(0, text.length()) > limits.maxTextLength()) {
            throw new ChatException(ErrorCode.TOO_LARGE,
                    "'text' is longer than " + limits.maxTextLength() + " characters");
        }
        return text;
    }

    /** The payload's optional {@code cid}. */
    static String cid(ObjectNode body) {
        String cid = Payloads.optionalText(body, "cid");
        if (cid != null && (cid.isEmpty() || cid.length() > MAX_CID_LENGTH)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'cid' must have 1 to " + MAX_CID_LENGTH + " characters");
        }
        return cid;
    }

    /** Answers new messages {@code unavailable} from now on: the node is leaving. */
    void refuseNew() {
        draining = true;
    }

    /** The sequence-and-publish script, as a CLIENT span whose context the frame carries to the other nodes. */
    private Sequenced publish(String kind, ChatMessage draft, List<String> channels, Context parent) {
        long started = System.nanoTime();
        try {
            return ScriptSpan.run(tracer, SpanNames.REDIS_PUBLISH, channels.getFirst(), parent,
                    traceparent -> bus.publishMessage(kind, draft, channels, traceparent));
        } finally {
            metrics.redisPublished(System.nanoTime() - started);
        }
    }

    /**
     * What messages may be and how long their ack waits.
     *
     * @param maxTextLength longest text, in code points
     * @param ackTimeout    how long a sender waits for Kafka before its ack says unavailable
     */
    public record Limits(int maxTextLength, Duration ackTimeout) {
    }
}
