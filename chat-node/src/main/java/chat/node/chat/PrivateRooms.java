package chat.node.chat;

import chat.common.JsonCodec;
import chat.common.RoomChange;
import chat.common.telemetry.SpanNames;
import chat.node.archive.Archive;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.fanout.RoomMembers;
import chat.node.fanout.Roster;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The events of private rooms and groups (PROTOCOL.md §5): {@code create_room}, {@code create_group},
 * {@code add_member}, {@code remove_member} and {@code members}. As a message does, a change goes to Redis first
 * (the members every node checks, and the frame that takes a removed member's sockets out of the room), then to
 * Kafka for the archive's {@code rooms} tables, and is acknowledged once Kafka has it. Sent again after
 * {@code unavailable}, it changes nothing in Redis and is stored again, which the archive applies once.
 */
public final class PrivateRooms {
    private static final System.Logger LOG = System.getLogger(PrivateRooms.class.getName());
    static final String PRIVATE = "private";
    static final String GROUP = "group";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** 20 characters of 36: about 103 random bits, so two groups never draw the same id. */
    private static final int GROUP_ID_LENGTH = 20;
    private static final int MIN_GROUP = 3;

    private final RoomAccess access;
    private final RoomMembers members;
    private final RoomBus bus;
    private final Archive archive;
    private final NodeMetrics metrics;
    private final Tracer tracer;
    private final JsonCodec codec;
    private final Limits limits;
    private final RoomNotices notices;
    private final SecureRandom random = new SecureRandom();

    public PrivateRooms(RoomAccess access, RoomMembers members, RoomBus bus, Archive archive, NodeMetrics metrics,
                        Tracer tracer, JsonCodec codec, Limits limits) {
        this.access = access;
        this.members = members;
        this.bus = bus;
        this.archive = archive;
        this.metrics = metrics;
        this.tracer = tracer;
        this.codec = codec;
        this.limits = limits;
        this.notices = new RoomNotices(codec);
    }

    /** {@code create_room}: a private room owned by its creator, or the creator's own room again. */
    CompletableFuture<ObjectNode> createRoom(Client client, ObjectNode body) {
        String room = Payloads.requiredText(body, "room");
        if (!Names.isPrivateRoom(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a private room is named p:<name>, the name matching"
                    + " ^[a-z0-9][a-z0-9_-]{0,63}$");
        }
        String owner = client.user();
        return traced(ChatEvent.CREATE_ROOM, room, context -> {
            Roster roster = access.roster(room);
            if (roster == null) {
                RoomMembers.Creation creation = redis(context, () -> members.create(room, PRIVATE, owner,
                        Set.of(owner), System.currentTimeMillis()));
                roster = creation.created() ? creation.roster() : access.roster(room);
            }
            if (roster == null || !PRIVATE.equals(roster.kind()) || !owner.equals(roster.owner())) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "the room " + room + " exists already");
            }
            Roster created = roster;
            return store(creation(created, owner), context).thenApply(stored -> rosterAck(created));
        });
    }

    /** {@code create_group}: a group of a fixed set of members, the creator included, under an id of the node's. */
    CompletableFuture<ObjectNode> createGroup(Client client, ObjectNode body) {
        String creator = client.user();
        Set<String> group = groupMembers(creator, body.get("members"));
        String room = Names.groupRoom(newGroupId());
        return traced(ChatEvent.CREATE_GROUP, room, context -> {
            RoomMembers.Creation creation = redis(context, () -> members.create(room, GROUP, null, group,
                    System.currentTimeMillis()));
            if (!creation.created()) {
                throw new ChatException(ErrorCode.INTERNAL, "the new group's id is taken; retry");
            }
            for (String member : group) {
                if (!member.equals(creator)) {
                    bus.publish(Channels.user(member), notices.added(room, GROUP, creator));
                }
            }
            return store(creation(creation.roster(), creator), context)
                    .thenApply(stored -> rosterAck(creation.roster()));
        });
    }

    /** {@code add_member} ({@code add}) or {@code remove_member}: by the owner of a private room, or an admin. */
    CompletableFuture<ObjectNode> change(Client client, ObjectNode body, boolean add) {
        String room = Payloads.requiredText(body, "room");
        if (Names.isGroupRoom(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "the members of a group are fixed");
        }
        if (!Names.isPrivateRoom(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "only private rooms (p:<name>) have members to add or"
                    + " remove");
        }
        String user = Payloads.requiredText(body, "user");
        if (!Names.isUser(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'user' must be a user id");
        }
        String actor = client.user();
        boolean admin = client.identity().admin();
        return traced(add ? ChatEvent.ADD_MEMBER : ChatEvent.REMOVE_MEMBER, room, context -> {
            RoomMembers.Change result = changeOrRestore(room, user, add, actor, admin, context);
            switch (result.outcome()) {
                case DONE -> {
                }
                case UNKNOWN_ROOM -> throw RoomAccess.notFound(room);
                case FIXED -> throw new ChatException(ErrorCode.FORBIDDEN, "the members of a group are fixed");
                case NOT_OWNER -> throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + room
                        + " or an admin may add or remove its members");
                case OWNER -> throw new ChatException(ErrorCode.BAD_REQUEST, "the owner of " + room
                        + " cannot be removed from it");
            }
            if (result.changed()) {
                bus.publish(Channels.user(user), add ? notices.added(room, PRIVATE, actor)
                        : notices.removed(room, actor));
            }
            RoomChange change = new RoomChange(add ? RoomChange.Change.ADD : RoomChange.Change.REMOVE, room, PRIVATE,
                    result.owner(), List.of(user), actor, result.version(), System.currentTimeMillis());
            ObjectNode ack = Payloads.ok(codec.mapper());
            ack.put("room", room);
            ack.put("user", user);
            ack.put("changed", result.changed());
            return store(change, context).thenApply(stored -> ack);
        });
    }

    /** {@code members}: who is in a private room or group, for its members and for admins. */
    ObjectNode members(Client client, ObjectNode body) {
        String room = Payloads.requiredText(body, "room");
        if (!Names.isMembersOnly(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "only private rooms and groups have members to list");
        }
        if (!client.identity().admin()) {
            Payloads.checkReadable(client, room);
        }
        Roster roster = access.roster(room);
        if (roster == null) {
            throw RoomAccess.notFound(room);
        }
        return rosterAck(roster);
    }

    /** The change, after putting the room back from the archive if this Redis lost it. */
    private RoomMembers.Change changeOrRestore(String room, String user, boolean add, String actor, boolean admin,
                                               Context context) {
        BusFrame frame = notices.membership(room, user, add, actor);
        RoomMembers.Change result = redis(context, () -> members.change(room, user, add, actor, admin, frame));
        if (result.outcome() == RoomMembers.Outcome.UNKNOWN_ROOM && access.roster(room) != null) {
            result = redis(context, () -> members.change(room, user, add, actor, admin, frame));
        }
        return result;
    }

    private Set<String> groupMembers(String creator, JsonNode list) {
        if (list == null || !list.isArray()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'members' must be an array of user ids");
        }
        Set<String> group = new TreeSet<>(List.of(creator));
        Set<String> listed = new HashSet<>();
        for (JsonNode entry : list) {
            if (!entry.isTextual() || !Names.isUser(entry.asText())) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "'members' must be an array of user ids");
            }
            if (!listed.add(entry.asText())) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "'members' names " + entry.asText() + " twice");
            }
            group.add(entry.asText());
            if (group.size() > limits.groupMembers()) {
                break;
            }
        }
        if (group.size() < MIN_GROUP || group.size() > limits.groupMembers()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a group has " + MIN_GROUP + " to "
                    + limits.groupMembers() + " members, its creator included");
        }
        return group;
    }

    /** The room as it is, for the archive: its creation with every member it has now. */
    private static RoomChange creation(Roster roster, String creator) {
        return new RoomChange(RoomChange.Change.CREATE, roster.room(), roster.kind(), roster.owner(),
                roster.members().stream().sorted().toList(), creator, roster.version(), roster.created());
    }

    private ObjectNode rosterAck(Roster roster) {
        ObjectNode ack = Payloads.ok(codec.mapper());
        ack.put("room", roster.room());
        ack.put("kind", roster.kind());
        ack.put("owner", roster.owner());
        roster.members().stream().sorted().forEach(ack.putArray("members")::add);
        return ack;
    }

    /** Stores the change in Kafka; the ack waits for it, as a message's does. */
    private CompletableFuture<Void> store(RoomChange change, Context context) {
        long started = System.nanoTime();
        return archive.roomChanged(change, context)
                .orTimeout(limits.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((stored, failure) -> {
                    if (failure != null) {
                        metrics.kafkaError();
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        String why = cause instanceof TimeoutException ? "timed out" : String.valueOf(cause);
                        LOG.log(System.Logger.Level.WARNING, change.change().wire() + " of " + change.room()
                                + " not durable: " + why);
                        throw new ChatException(ErrorCode.UNAVAILABLE,
                                "the change could not be stored in time; send it again");
                    }
                    metrics.kafkaProduced(System.nanoTime() - started);
                    metrics.membershipChanged(change.change().wire());
                    return null;
                });
    }

    /** The event as a SERVER span, like a message's, that the Redis and Kafka spans join. */
    private CompletableFuture<ObjectNode> traced(ChatEvent event, String room,
                                                 Function<Context, CompletableFuture<ObjectNode>> work) {
        Span span = tracer.spanBuilder(SpanNames.RECEIVE)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "socket.io")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "receive")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, room)
                .setAttribute(SpanNames.CHAT_EVENT, event.wire())
                .startSpan();
        CompletableFuture<ObjectNode> answer;
        try (Scope ignored = span.makeCurrent()) {
            answer = work.apply(Context.current());
        } catch (RuntimeException e) {
            failed(span, e);
            span.end();
            throw e;
        }
        return answer.whenComplete((ack, failure) -> {
            if (failure != null) {
                failed(span, failure);
            }
            span.end();
        });
    }

    private <T> T redis(Context parent, Supplier<T> script) {
        return ScriptSpan.run(tracer, SpanNames.REDIS_MEMBERS, null, parent, traceparent -> script.get());
    }

    private static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR);
    }

    private String newGroupId() {
        StringBuilder id = new StringBuilder(GROUP_ID_LENGTH);
        for (int i = 0; i < GROUP_ID_LENGTH; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /**
     * What private rooms and groups may be.
     *
     * @param groupMembers the most members a group may have, its creator included
     * @param ackTimeout   how long a change waits for Kafka before its ack says unavailable
     */
    public record Limits(int groupMembers, Duration ackTimeout) {
    }
}
