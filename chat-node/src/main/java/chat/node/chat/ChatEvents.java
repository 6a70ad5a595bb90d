package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.history.History;
import chat.node.socketio.Ack;
import chat.node.socketio.SocketHandler;
import chat.node.socketio.SocketIoCodec;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat events of PROTOCOL.md §5: validates each payload, acts through the hub, bus and archive (messages through
 * {@link MessageSender}, read markers through {@link ReadMarkers}), and answers with the ack (or the error ack) the
 * protocol names.
 */
public final class ChatEvents {
    private static final System.Logger LOG = System.getLogger(ChatEvents.class.getName());
    private static final int DEFAULT_HISTORY = 50;
    private static final int MAX_HISTORY = 100;
    private static final String UNKNOWN = "unknown";

    private final Hub hub;
    private final RoomBus bus;
    private final RoomAccess access;
    private final PrivateRooms rooms;
    private final History history;
    private final MessageSender sender;
    private final ReadMarkers markers;
    private final MessageEditor editor;
    private final Presence presence;
    private final WhoIsOnline whoIsOnline;
    private final ConnectionLog log;
    private final SessionExpiry expiry;
    private final NodeMetrics metrics;
    private final JsonCodec codec;
    private final ObjectMapper json;
    private final Limits limits;
    /** Events accepted whose answer is not queued yet, so that a draining node can wait for them. */
    private final AtomicInteger unanswered = new AtomicInteger();

    public ChatEvents(Hub hub, RoomBus bus, RoomAccess access, PrivateRooms rooms, History history,
                      MessageSender sender, MessageEditor editor, ReadMarkers markers, Presence presence,
                      ConnectionLog log, SessionExpiry expiry, NodeMetrics metrics, JsonCodec codec, Limits limits) {
        this.hub = hub;
        this.bus = bus;
        this.access = access;
        this.rooms = rooms;
        this.history = history;
        this.sender = sender;
        this.markers = markers;
        this.editor = editor;
        this.presence = presence;
        this.whoIsOnline = new WhoIsOnline(bus, codec.mapper());
        this.log = log;
        this.expiry = expiry;
        this.metrics = metrics;
        this.codec = codec;
        this.json = codec.mapper();
        this.limits = limits;
    }

    void handle(Client client, String name, JsonNode payload, Ack ack) {
        ChatEvent event = ChatEvent.sentByClient(name);
        String type = event == null ? UNKNOWN : event.wire();
        try {
            if (!(payload instanceof ObjectNode body)) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "the payload must be a JSON object");
            }
            if (!client.eventLimit().tryAcquire()) {
                metrics.refused("rate");
                throw new ChatException(ErrorCode.RATE_LIMITED, "too many events, slow down");
            }
            if (event == null) {
                throw new ChatException(ErrorCode.NOT_FOUND, "unknown event '" + name + "'");
            }
            unanswered.incrementAndGet();
            dispatch(client, event, body, ack).whenComplete((result, failure) -> {
                try {
                    ObjectNode answer = failure == null ? result : errorNode(unwrap(failure));
                    metrics.event(type, failure == null ? "ok" : unwrap(failure).code().wire());
                    if (answer != null) {
                        reply(client, ack, type, answer);
                    }
                } finally {
                    unanswered.decrementAndGet();
                }
            });
        } catch (ChatException e) {
            metrics.event(type, e.code().wire());
            reply(client, ack, type, errorNode(e));
        }
    }

    /**
     * Answers new messages {@code unavailable} from now on, and waits until every event already accepted has its
     * answer queued, at most {@code max}.
     *
     * @return whether none is left unanswered
     */
    public boolean drain(Duration max) throws InterruptedException {
        sender.refuseNew();
        editor.refuseNew();
        long deadline = System.nanoTime() + max.toNanos();
        while (unanswered.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return unanswered.get() == 0;
    }

    /** Answers an event the Socket.IO layer could not pass on. */
    void refuse(Client client, SocketHandler.Refusal why, Ack ack) {
        ChatException refusal = switch (why) {
            case NOT_CONNECTED -> new ChatException(ErrorCode.UNAUTHORIZED, "connect first");
            case INVALID_JSON -> new ChatException(ErrorCode.BAD_REQUEST, "invalid JSON");
            case NOT_AN_EVENT -> new ChatException(ErrorCode.BAD_REQUEST, "an event is [\"name\", payload]");
            case BINARY -> new ChatException(ErrorCode.BAD_REQUEST, "binary packets are not supported");
            case TOO_LARGE -> new ChatException(ErrorCode.TOO_LARGE, "the packet exceeds the node's maxPayload");
        };
        if (why == SocketHandler.Refusal.NOT_CONNECTED || why == SocketHandler.Refusal.BINARY) {
            if (ack.wanted()) {
                client.send(ack.packet(codec.write(errorNode(refusal))));
            }
            return;
        }
        metrics.event(UNKNOWN, refusal.code().wire());
        reply(client, ack, UNKNOWN, errorNode(refusal));
    }

    private CompletableFuture<ObjectNode> dispatch(Client client, ChatEvent event, ObjectNode body, Ack ack) {
        try {
            return switch (event) {
                case JOIN -> CompletableFuture.completedFuture(join(client, ack, body));
                case LEAVE -> CompletableFuture.completedFuture(leave(client, body));
                case MESSAGE -> sender.message(client, body);
                case DM -> sender.dm(client, body);
                case HISTORY -> CompletableFuture.completedFuture(history(client, body));
                case TYPING -> CompletableFuture.completedFuture(typing(client, body));
                case REFRESH -> CompletableFuture.completedFuture(expiry.refresh(client, body));
                case WHO -> CompletableFuture.completedFuture(whoIsOnline.who(client, body));
                case ONLINE -> CompletableFuture.completedFuture(whoIsOnline.online(client, body));
                case READ -> markers.read(client, body);
                case CREATE_ROOM -> rooms.createRoom(client, body);
                case CREATE_GROUP -> rooms.createGroup(client, body);
                case ADD_MEMBER -> rooms.change(client, body, true);
                case REMOVE_MEMBER -> rooms.change(client, body, false);
                case MEMBERS -> CompletableFuture.completedFuture(rooms.members(client, body));
                case EDIT -> editor.edit(client, body);
                case DELETE -> editor.delete(client, body);
                case PRESENCE, ANNOUNCE, SESSION_EXPIRED, ADDED, REMOVED, MEMBERSHIP, MESSAGE_EDITED,
                     MESSAGE_DELETED ->
                        throw new IllegalStateException(event + " is not a client event");
            };
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            metrics.redisError(event.wire());
            LOG.log(System.Logger.Level.WARNING, "Redis failed during '" + event.wire() + "': " + e.getMessage());
            return CompletableFuture.failedFuture(
                    new ChatException(ErrorCode.UNAVAILABLE, "the cluster is briefly unavailable, retry", e));
        }
    }

    /** The node's rule of who may use which room. */
    RoomAccess access() {
        return access;
    }

    private void reply(Client client, Ack ack, String event, ObjectNode result) {
        if (ack.wanted()) {
            client.send(ack.packet(codec.write(result)));
        } else if (!result.path("ok").asBoolean(false)) {
            ObjectNode error = json.createObjectNode();
            error.set("error", result.get("error"));
            error.put("event", event);
            client.send(SocketIoCodec.event("\"error\"", codec.write(error)));
        }
    }

    /** Joins and queues the ack itself, through the room feed, so that live frames follow it without a gap. */
    private ObjectNode join(Client client, Ack ack, ObjectNode body) {
        String room = Payloads.room(body);
        Payloads.checkReadable(client, room);
        Long since = Payloads.optionalSeq(body, "since");
        boolean already = client.inRoom(room);
        if (!already && client.atRoomLimit()) {
            metrics.refused(NodeMetrics.REFUSED_ROOMS);
            throw new ChatException(ErrorCode.LIMIT_EXCEEDED, "a socket may be in " + client.roomsPerSocket()
                    + " rooms at most; leave one first");
        }
        RoomFeed feed = client.startJoin(room);
        Hub.Membership membership = hub.join(client, room);
        try {
            membership.subscribed().get(limits.redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (!already) {
                client.forgetRoom(room);
                hub.leave(client, room);
            }
            throw new ChatException(ErrorCode.UNAVAILABLE, "could not join the room now, retry", e);
        }
        try {
            if (Names.isMembersOnly(room)) {
                // A removal published before the subscription was confirmed sent no frame here: check once more.
                Payloads.checkReadable(client, room);
            }
            return completeJoin(client, ack, room, since, feed, membership);
        } catch (RuntimeException e) {
            if (!already) {
                client.forgetRoom(room);
                hub.leave(client, room);
            }
            throw e;
        }
    }

    private ObjectNode completeJoin(Client client, Ack ack, String room, Long since, RoomFeed feed,
                                    Hub.Membership membership) {
        long latest = bus.latestSeq(room);
        if (membership.firstOfRoom()) {
            hub.joinedAt(room, latest);
        }
        ObjectNode answer = ok();
        answer.put("room", room);
        answer.put("seq", latest);
        ArrayNode missed = answer.putArray("missed");
        ArrayNode changed = answer.putArray("changed");
        boolean more = false;
        if (since != null && since < latest) {
            History.Page page = history.after(room, since, latest, limits.joinMissedCap());
            page.messages().forEach(m -> missed.addRawValue(new RawValue(m)));
            page.changed().forEach(m -> changed.addRawValue(new RawValue(m)));
            more = page.more();
        }
        answer.put("more", more);
        markers.answerJoin(client, room, latest, answer);
        if (membership.added()) {
            presence.update(room, client.user());
            log.record(ConnectionEvent.Type.JOIN, client, room);
        }
        feed.open(latest, ack.wanted() ? ack.packet(codec.write(answer)) : null, client.connection());
        return null;
    }

    private ObjectNode leave(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        if (client.inRoom(room)) {
            client.forgetRoom(room);
            hub.leave(client, room);
            presence.update(room, client.user());
            log.record(ConnectionEvent.Type.LEAVE, client, room);
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
        int limit = Payloads.limit(body, DEFAULT_HISTORY, MAX_HISTORY);
        ObjectNode ack = ok();
        ArrayNode messages = ack.putArray("messages");
        history.before(room, before, limit).forEach(m -> messages.addRawValue(new RawValue(m)));
        return ack;
    }

    private ObjectNode typing(Client client, ObjectNode body) {
        String room = Payloads.room(body);
        if (!client.inRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "join the room before typing in it");
        }
        if (!client.typingLimit().tryAcquire()) {
            // Typing is a hint that fans out to the whole room; one dropped costs the others nothing.
            metrics.refused(NodeMetrics.REFUSED_TYPING);
            return null;
        }
        ObjectNode payload = json.createObjectNode();
        payload.put("room", room);
        payload.put("from", client.user());
        bus.publish(Channels.room(room), new BusFrame(ChatEvent.TYPING.wire(), 0, System.currentTimeMillis(), null,
                client.user(), codec.write(payload)));
        return null;
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

    /**
     * What the events need to know of the node's settings.
     *
     * @param redisTimeout  how long a join waits for the room's subscription
     * @param joinMissedCap the most entries (messages and changes) a join's {@code missed} and {@code changed} carry
     */
    public record Limits(Duration redisTimeout, int joinMissedCap) {
    }
}
