package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.history.History;
import chat.node.socketio.Packet;
import chat.node.socketio.SocketIoCodec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The chat events of PROTOCOL.md §5: validates each payload, acts through the node's hub, bus and archive, and
 * answers with the ack (or the error ack) the protocol names.
 */
public final class ChatEvents {
    private static final System.Logger LOG = System.getLogger(ChatEvents.class.getName());
    private static final int DEFAULT_HISTORY = 50;
    private static final int MAX_HISTORY = 100;

    private final Node node;
    private final ObjectMapper json;
    private final MessageSender sender;

    ChatEvents(Node node) {
        this.node = node;
        this.json = node.codec().mapper();
        this.sender = new MessageSender(node);
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
                case "message" -> sender.message(client, body);
                case "dm" -> sender.dm(client, body);
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
        String room = Payloads.room(body);
        Payloads.checkReadable(client, room);
        Long since = Payloads.optionalSeq(body, "since");
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
            page.messages().forEach(m -> missed.addRawValue(new RawValue(m)));
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

    private ObjectNode leave(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        if (client.inRoom(room)) {
            client.forgetRoom(room);
            if (node.hub().leave(client, room)) {
                node.bus().presence(room, client.user(), false, presenceFrame(room, client.user(), "leave"));
            }
            node.logConnection(ConnectionEvent.Type.LEAVE, client, room);
        }
        return ok();
    }

    private ObjectNode history(Client client, ObjectNode body) {
        String room = body.path("room").asText(null);
        if (room == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'room' is required");
        }
        Payloads.checkReadable(client, room);
        Long before = Payloads.optionalSeq(body, "before");
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
        node.history().before(room, before, limit).forEach(m -> messages.addRawValue(new RawValue(m)));
        return ack;
    }

    private ObjectNode typing(Client client, ObjectNode body) {
        String room = Payloads.room(body);
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
        return Payloads.ok(json);
    }

    private static String knownType(String event) {
        return switch (event) {
            case "join", "leave", "message", "dm", "history", "typing" -> event;
            default -> "unknown";
        };
    }
}
