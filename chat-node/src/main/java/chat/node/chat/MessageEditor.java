package chat.node.chat;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.common.telemetry.SpanNames;
import chat.node.archive.Archive;
import chat.node.auth.Identity;
import chat.node.fanout.ChangeOutcome;
import chat.node.fanout.RoomBus;
import chat.node.history.FoundMessage;
import chat.node.history.History;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The {@code edit} and {@code delete} events: a message's author, or an admin, changes it by id. A change goes the
 * way a message goes (docs/ARCHITECTURE.md, "The durable path"): Redis gives it the room's next seq, keeps it as
 * the message's current version and publishes it, Kafka stores it, and the ack waits for Kafka. Each step is a span
 * of the change's trace, as for a message.
 */
public final class MessageEditor {
    private static final System.Logger LOG = System.getLogger(MessageEditor.class.getName());
    /** Message ids are UUIDs as the nodes write them; no other string can name a message. */
    private static final Pattern MESSAGE_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final RoomBus bus;
    private final Archive archive;
    private final History history;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final JsonCodec codec;
    private final MessageSender.Limits limits;
    private volatile boolean draining;

    public MessageEditor(RoomBus bus, Archive archive, History history, NodeMetrics metrics, Tracer tracer,
                         JsonCodec codec, MessageSender.Limits limits) {
        this.bus = bus;
        this.archive = archive;
        this.history = history;
        this.metrics = metrics;
        this.tracer = tracer;
        this.codec = codec;
        this.limits = limits;
    }

    CompletableFuture<ObjectNode> edit(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        Payloads.checkReadable(client, room);
        String id = messageId(body);
        String text = MessageSender.text(body, limits);
        String cid = MessageSender.cid(body);
        admit(client);
        FoundMessage found = changeable(client.identity(), room, id);
        if (found.deleted()) {
            throw deleted();
        }
        MessageChange edit = MessageChange.edit(found.asSent(), client.user(), text, System.currentTimeMillis());
        return apply(ChatEvent.MESSAGE_EDITED, edit, cid).thenApply(applied -> ack(applied.change()));
    }

    /** Deleting a deleted message changes nothing and is answered as the deletion was: retrying is safe. */
    CompletableFuture<ObjectNode> delete(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        Payloads.checkReadable(client, room);
        String id = messageId(body);
        admit(client);
        FoundMessage found = changeable(client.identity(), room, id);
        MessageChange deletion = found.deleted() ? found.lastChange()
                : MessageChange.delete(found.asSent(), client.user(), System.currentTimeMillis());
        return apply(ChatEvent.MESSAGE_DELETED, deletion, null).thenApply(applied -> ack(applied.change()));
    }

    /**
     * Deletes a message for an admin's erasure of its author; completes with whether this deleted it (false: it was
     * deleted already) once the deletion is durable.
     */
    CompletableFuture<Boolean> deleteForErasure(Identity admin, ChatMessage asSent) {
        MessageChange deletion = MessageChange.delete(asSent, admin.user(), System.currentTimeMillis());
        return apply(ChatEvent.MESSAGE_DELETED, deletion, null).thenApply(Applied::published);
    }

    /** Answers new changes {@code unavailable} from now on: the node is leaving. */
    void refuseNew() {
        draining = true;
    }

    private static String messageId(ObjectNode body) {
        String id = Payloads.requiredText(body, "id");
        if (!MESSAGE_ID.matcher(id).matches()) {
            throw notFound();
        }
        return id;
    }

    /** Changes count against the socket's message rate: each is one more event for every member of the room. */
    private void admit(Client client) {
        if (!client.messageLimit().tryAcquire()) {
            metrics.refused("rate");
            throw new ChatException(ErrorCode.RATE_LIMITED, "too many messages, slow down");
        }
        if (draining) {
            throw new ChatException(ErrorCode.UNAVAILABLE, "this node is shutting down; reconnect and retry");
        }
    }

    private FoundMessage changeable(Identity who, String room, String id) {
        FoundMessage found = history.find(room, id);
        if (found == null) {
            throw notFound();
        }
        if (!found.asSent().from().equals(who.user()) && !who.admin()) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only its author or an admin may change a message");
        }
        return found;
    }

    /**
     * Publishes the change and stores it; completes with the change as stored, with its seq, once Kafka has it. A
     * change the room has already (a repeated cid, a deletion of a deleted message, or {@code draft} itself when
     * it has its seq) is not published again but stored again as it was, as a message resent with its cid is: Kafka
     * may not have it, and the archive keeps one.
     */
    private CompletableFuture<Applied> apply(ChatEvent event, MessageChange draft, String cid) {
        Span receive = tracer.spanBuilder(SpanNames.RECEIVE)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "receive")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, draft.message().room())
                .setAttribute(SpanNames.MESSAGING_MESSAGE_ID, draft.message().id())
                .setAttribute(SpanNames.CHAT_EVENT, draft.kind().wire())
                .startSpan();
        Context context = Context.current().with(receive);
        ChangeOutcome outcome;
        MessageChange stored;
        try {
            outcome = draft.seq() > 0 ? new ChangeOutcome.AlreadyDeleted(codec.write(codec.changedNode(draft)))
                    : publish(event, draft, cid, context);
            stored = switch (outcome) {
                case ChangeOutcome.Published published -> {
                    metrics.messageChanged(draft.kind().wire());
                    yield draft.withSeq(published.seq());
                }
                case ChangeOutcome.Repeated repeated -> asStored(repeated.json(), draft.message());
                case ChangeOutcome.AlreadyDeleted tombstone -> {
                    if (draft.kind() == MessageChange.Kind.EDIT) {
                        throw deleted();
                    }
                    yield asStored(tombstone.json(), draft.message());
                }
            };
        } catch (RuntimeException e) {
            receive.recordException(e);
            receive.setStatus(StatusCode.ERROR);
            receive.end();
            throw e;
        }
        receive.setAttribute(SpanNames.CHAT_SEQ, stored.seq());
        long produceStart = System.nanoTime();
        return archive.append(stored, context)
                .orTimeout(limits.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    try (Scope scope = receive.makeCurrent()) {
                        if (failure != null) {
                            metrics.kafkaError();
                            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                            String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause);
                            LOG.log(System.Logger.Level.WARNING, "change " + stored.seq() + " of message "
                                    + stored.message().id() + " not durable: " + why);
                            receive.setStatus(StatusCode.ERROR, "not durable: " + why);
                            throw new ChatException(ErrorCode.UNAVAILABLE,
                                    "the change could not be stored in time; retry it");
                        }
                        metrics.kafkaProduced(System.nanoTime() - produceStart);
                        return new Applied(stored, outcome instanceof ChangeOutcome.Published);
                    } finally {
                        receive.end();
                    }
                });
    }

    /** The publish script, as a CLIENT span whose context the frame carries to the other nodes. */
    private ChangeOutcome publish(ChatEvent event, MessageChange draft, String cid, Context parent) {
        List<String> channels = MessageSender.channelsOf(draft.message().room());
        long started = System.nanoTime();
        try {
            return ScriptSpan.run(tracer, SpanNames.REDIS_PUBLISH, channels.getFirst(), parent,
                    traceparent -> bus.publishChange(event.wire(), draft, cid, channels, traceparent));
        } finally {
            metrics.redisPublished(System.nanoTime() - started);
        }
    }

    /** A change the room has already, read back from its version, with the message as first sent. */
    private MessageChange asStored(String version, ChatMessage asSent) {
        MessageChange change = codec.decodeChanged(version);
        return new MessageChange(change.kind(), asSent, change.seq(), change.ts(), change.by(), change.text());
    }

    private ObjectNode ack(MessageChange stored) {
        ObjectNode ack = Payloads.ok(codec.mapper());
        ack.put("id", stored.message().id());
        ack.put("seq", stored.seq());
        ack.put("ts", stored.ts());
        return ack;
    }

    /**
     * A change as stored.
     *
     * @param published whether this publish made it; false when the room had it already
     */
    private record Applied(MessageChange change, boolean published) {
    }

    private static ChatException notFound() {
        return new ChatException(ErrorCode.NOT_FOUND, "the room has no message with this id");
    }

    private static ChatException deleted() {
        return new ChatException(ErrorCode.NOT_FOUND, "the message was deleted");
    }
}
