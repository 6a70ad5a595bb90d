package chat.node.chat;

import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.Sequenced;
import chat.node.history.History;
import chat.node.socketio.Packet;
import chat.node.socketio.SocketIoCodec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chat events of PROTOCOL.md §5: validates each payload, acts through the node's hub, bus and archive, and
 * answers with the ack (or the error ack) the protocol names.
 */
public final class ChatEvents {
    private static final System.Logger LOG = System.getLogger(ChatEvents.class.getName());
    private static final int MAX_CID_LENGTH = 128;
    private static final int DEFAULT_HISTORY = 50;
    private static final int MAX_HISTORY = 100;

    private final Node node;
    private final ObjectMapper json;

    ChatEvents(Node node) {
        this.node = node;
        this.json = node.codec().mapper();
    }

    void handle(Client client, Packet packet) {
        String event = "unknown";
        try {
            JsonNode args = json.readTree(packet.data());
            if (!args.isArray() || args.isEmpty() || !args.get(0).isTextual()) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "an event is [\"name\", payload]");
            }
            event = args.get(0).asText();
            JsonNode payload = args.size() > 1 ? args.get(1) : null;
            if (!(payload instanceof ObjectNode body)) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "the payload must be a JSON object");
            }
            if (!client.eventLimit().tryAcquire()) {
                node.metrics().refused("rate");
                throw new ChatException(ErrorCode.RATE_LIMITED, "too many events, slow down");
            }
            CompletableFuture<ObjectNode> answer = dispatch(client, packet, event, body);
            String type = knownType(event);
            answer.whenComplete((ack, failure) -> {
                ObjectNode result = failure == null ? ack : errorNode(unwrap(failure));
                String outcome = failure == null ? "ok" : unwrap(failure).code().wire();
                node.metrics().event(type, outcome);
                if (result != null) {
                    reply(client, packet, type, result);
                }
            });
        } catch (JsonProcessingException e) {
            node.metrics().event("unknown", ErrorCode.BAD_REQUEST.wire());
            reply(client, packet, event, errorNode(new ChatException(ErrorCode.BAD_REQUEST, "invalid JSON")));
        } catch (ChatException e) {
            node.metrics().event(knownType(event), e.code().wire());
            reply(client, packet, event, errorNode(e));
        }
    }

    private CompletableFuture<ObjectNode> dispatch(Client client, Packet packet, String event, ObjectNode body) {
        try {
            return switch (event) {
                case "join" -> CompletableFuture.completedFuture(join(client, packet, body));
                case "leave" -> CompletableFuture.completedFuture(leave(client, body));
                case "message" -> message(client, body);
                case "dm" -> dm(client, body);
                case "history" -> CompletableFuture.completedFuture(history(client, body));
                case "typing" -> CompletableFuture.completedFuture(typing(client, body));
                default -> throw new ChatException(ErrorCode.NOT_FOUND, "unknown event '" + event + "'");
            };
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            node.metrics().redisError(event);
            LOG.log(System.Logger.Level.WARNING, "Redis failed during '" + event + "': " + e.getMessage());
            return CompletableFuture.failedFuture(
                    new ChatException(ErrorCode.UNAVAILABLE, "the cluster is briefly unavailable, retry", e));
        }
    }

    private void reply(Client client, Packet packet, String event, ObjectNode result) {
        if (packet.wantsAck()) {
            client.sendAck(packet.ackId(), node.codec().write(result));
        } else if (!result.path("ok").asBoolean(false)) {
            ObjectNode error = json.createObjectNode();
            error.set("error", result.get("error"));
            error.put("event", event);
            client.send(SocketIoCodec.event("\"error\"", node.codec().write(error)));
        }
    }

    /** Joins and queues the ack itself, through the room feed, so that live frames follow it without a gap. */
    private ObjectNode join(Client client, Packet packet, ObjectNode body) {
        String room = room(body);
        checkReadable(client, room);
        Long since = optionalSeq(body, "since");
        boolean already = client.inRoom(room);
        RoomFeed feed = client.startJoin(room);
        Hub.Membership membership = node.hub().join(client, room);
        try {
            membership.subscribed().get(node.config().redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (!already) {
                client.forgetRoom(room);
                node.hub().leave(client, room);
            }
            throw new ChatException(ErrorCode.UNAVAILABLE, "could not join the room now, retry", e);
        }
        try {
            return completeJoin(client, packet, room, since, feed, membership);
        } catch (RuntimeException e) {
            if (!already) {
                client.forgetRoom(room);
                node.hub().leave(client, room);
            }
            throw e;
        }
    }

    private ObjectNode completeJoin(Client client, Packet packet, String room, Long since, RoomFeed feed,
                                    Hub.Membership membership) {
        long latest = node.bus().latestSeq(room);
        ObjectNode ack = ok();
        ack.put("room", room);
        ack.put("seq", latest);
        ArrayNode missed = ack.putArray("missed");
        boolean more = false;
        if (since != null && since < latest) {
            History.Page page = node.history().after(room, since, latest, node.config().joinMissedCap());
            page.messages().forEach(m -> missed.add(rawJson(m)));
            more = page.more();
        }
        ack.put("more", more);
        if (membership.firstOfUser()) {
            node.bus().presence(room, client.user(), true, presenceFrame(room, client.user(), "join"));
        }
        if (membership.added()) {
            node.logConnection(ConnectionEvent.Type.JOIN, client, room);
        }
        feed.open(latest, packet.wantsAck() ? SocketIoCodec.ack(packet.ackId(), node.codec().write(ack)) : null,
                client.outbox());
        return null;
    }

    private JsonNode rawJson(String message) {
        try {
            return json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message is not JSON", e);
        }
    }

    private ObjectNode leave(Client client, ObjectNode body) {
        String room = room(body);
        if (client.inRoom(room)) {
            client.forgetRoom(room);
            if (node.hub().leave(client, room)) {
                node.bus().presence(room, client.user(), false, presenceFrame(room, client.user(), "leave"));
            }
            node.logConnection(ConnectionEvent.Type.LEAVE, client, room);
        }
        return ok();
    }

    private CompletableFuture<ObjectNode> message(Client client, ObjectNode body) {
        String room = room(body);
        if (!client.inRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "join the room before sending to it");
        }
        return send(client, "message", room, List.of(Channels.room(room)), body, false);
    }

    private CompletableFuture<ObjectNode> dm(Client client, ObjectNode body) {
        String to = requiredText(body, "to");
        if (!Names.isUser(to)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'to' must be a user id");
        }
        String room = Names.directRoom(client.user(), to);
        List<String> channels = to.equals(client.user())
                ? List.of(Channels.user(to))
                : List.of(Channels.user(client.user()), Channels.user(to));
        return send(client, "dm", room, channels, body, true);
    }

    private CompletableFuture<ObjectNode> send(Client client, String kind, String room, List<String> channels,
                                               ObjectNode body, boolean withRoom) {
        long acceptedNanos = System.nanoTime();
        String text = requiredText(body, "text");
        if (text.isEmpty()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'text' must not be empty");
        }
        if (text.codePointCount(0, text.length()) > node.config().maxTextLength()) {
            throw new ChatException(ErrorCode.TOO_LARGE,
                    "'text' is longer than " + node.config().maxTextLength() + " characters");
        }
        String cid = optionalText(body, "cid");
        if (cid != null && (cid.isEmpty() || cid.length() > MAX_CID_LENGTH)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'cid' must have 1 to " + MAX_CID_LENGTH + " characters");
        }
        if (!client.messageLimit().tryAcquire()) {
            node.metrics().refused("rate");
            throw new ChatException(ErrorCode.RATE_LIMITED, "too many messages, slow down");
        }
        ChatMessage draft = new ChatMessage(node.ids().next(), room, 0, client.user(), text,
                System.currentTimeMillis(), cid);
        Span receive = node.tracer().spanBuilder(SpanNames.RECEIVE)
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
        return node.archive().append(new ArchiveRecord(message, client.identity().name()), context)
                .orTimeout(node.config().ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    try (Scope scope = receive.makeCurrent()) {
                        if (failure != null) {
                            node.metrics().kafkaError();
                            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                            String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause);
                            LOG.log(System.Logger.Level.WARNING, "message " + message.id() + " not durable: " + why);
                            receive.setStatus(StatusCode.ERROR, "not durable: " + why);
                            throw new ChatException(ErrorCode.UNAVAILABLE,
                                    "the message could not be stored in time; resend it with the same cid");
                        }
                        node.metrics().kafkaProduced(System.nanoTime() - produceStart);
                        ObjectNode ack = ok();
                        ack.put("id", message.id());
                        if (withRoom) {
                            ack.put("room", message.room());
                        }
                        ack.put("seq", message.seq());
                        ack.put("ts", message.ts());
                        // Inside the receive span, so the histogram's exemplar names this message's trace.
                        node.metrics().ackLatency(System.nanoTime() - acceptedNanos);
                        return ack;
                    } finally {
                        receive.end();
                    }
                });
    }

    /** The sequence-and-publish script, as a CLIENT span whose context the frame carries to the other nodes. */
    private Sequenced publish(String kind, ChatMessage draft, List<String> channels, Context parent) {
        Span span = node.tracer().spanBuilder(SpanNames.REDIS_PUBLISH)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SpanNames.DB_SYSTEM, "redis")
                .setAttribute(SpanNames.DB_OPERATION, "EVALSHA")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, channels.getFirst())
                .startSpan();
        long started = System.nanoTime();
        try (Scope ignored = span.makeCurrent()) {
            String traceparent = span.getSpanContext().isSampled() ? TraceParent.of(span) : null;
            return node.bus().publishMessage(kind, draft, channels, traceparent);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            node.metrics().redisPublished(System.nanoTime() - started);
            span.end();
        }
    }

    private ObjectNode history(Client client, ObjectNode body) {
        String room = body.path("room").asText(null);
        if (room == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'room' is required");
        }
        checkReadable(client, room);
        Long before = optionalSeq(body, "before");
        int limit = DEFAULT_HISTORY;
        JsonNode limitNode = body.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.canConvertToInt() || limitNode.asInt() < 1 || limitNode.asInt() > MAX_HISTORY) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "'limit' must be 1 to " + MAX_HISTORY);
            }
            limit = limitNode.asInt();
        }
        ObjectNode ack = ok();
        ArrayNode messages = ack.putArray("messages");
        node.history().before(room, before, limit).forEach(m -> messages.add(rawJson(m)));
        return ack;
    }

    private ObjectNode typing(Client client, ObjectNode body) {
        String room = room(body);
        if (!client.inRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "join the room before typing in it");
        }
        ObjectNode payload = json.createObjectNode();
        payload.put("room", room);
        payload.put("from", client.user());
        node.bus().publish(Channels.room(room), new BusFrame("typing", 0, System.currentTimeMillis(), null,
                client.user(), node.codec().write(payload)));
        return null;
    }

    BusFrame presenceFrame(String room, String user, String what) {
        ObjectNode payload = json.createObjectNode();
        payload.put("room", room);
        payload.put("user", user);
        payload.put("event", what);
        return new BusFrame("presence", 0, System.currentTimeMillis(), null, user, node.codec().write(payload));
    }

    /** The token of a CONNECT payload ({@code {"token":"..."}}), or null. */
    String token(String connectPayload) {
        if (connectPayload == null) {
            return null;
        }
        try {
            return json.readTree(connectPayload).path("token").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** An encoded error ack. */
    String error(ErrorCode code, String message) {
        return node.codec().write(errorNode(new ChatException(code, message)));
    }

    private ObjectNode errorNode(ChatException e) {
        ObjectNode node = json.createObjectNode();
        node.put("ok", false);
        ObjectNode error = node.putObject("error");
        error.put("code", e.code().wire());
        error.put("message", e.getMessage());
        return node;
    }

    private static ChatException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException chat) {
            return chat;
        }
        LOG.log(System.Logger.Level.ERROR, "event failed unexpectedly", cause);
        return new ChatException(ErrorCode.INTERNAL, "internal error");
    }

    private ObjectNode ok() {
        ObjectNode ack = json.createObjectNode();
        ack.put("ok", true);
        return ack;
    }

    private void checkReadable(Client client, String room) {
        if (Names.isPublicRoom(room)) {
            return;
        }
        String[] members = Names.directMembers(room);
        if (members == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + room + "' is not a valid room name");
        }
        if (!members[0].equals(client.user()) && !members[1].equals(client.user())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only its two users may read a direct conversation");
        }
    }

    private static String room(ObjectNode body) {
        String room = requiredText(body, "room");
        if (!Names.isPublicRoom(room) && !Names.isDirectRoom(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST,
                    "room names match ^[a-z0-9][a-z0-9_-]{0,63}$");
        }
        return room;
    }

    private static String requiredText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Long optionalSeq(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a non-negative integer");
        }
        return value.asLong();
    }

    private static String knownType(String event) {
        return switch (event) {
            case "join", "leave", "message", "dm", "history", "typing" -> event;
            default -> "unknown";
        };
    }
}
