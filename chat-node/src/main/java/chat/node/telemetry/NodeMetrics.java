package chat.node.telemetry;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every metric a chat node exposes, named in one place. Names follow Prometheus conventions (prefix {@code chat_},
 * base units, {@code _total} on counters); labels only take values from small fixed sets, never user, room or
 * socket ids, and the node id comes from the scrape target.
 */
public final class NodeMetrics {
    public static final String OPEN_SOCKETS = "chat_sockets_open";
    /** 1 while the node's readiness check passes (Redis subscribed, Kafka reachable, not draining), else 0. */
    public static final String READY = "chat_node_ready";
    public static final String CONNECTS = "chat_connects_total";
    public static final String DISCONNECTS = "chat_disconnects_total";
    public static final String EVENTS = "chat_events_total";
    public static final String ACK_LATENCY = "chat_ack_latency_seconds";
    public static final String REDIS_PUBLISH = "chat_redis_publish_seconds";
    public static final String REDIS_ERRORS = "chat_redis_errors_total";
    public static final String REDIS_RECEIVED = "chat_redis_frames_received_total";
    public static final String DELIVERIES = "chat_deliveries_total";
    public static final String OVERFLOW_DISCONNECTS = "chat_outbox_overflow_disconnects_total";
    public static final String KAFKA_PRODUCE = "chat_kafka_produce_seconds";
    public static final String KAFKA_ERRORS = "chat_kafka_errors_total";
    public static final String DELIVERY_LATENCY = "chat_delivery_latency_seconds";
    public static final String REFUSALS = "chat_refusals_total";
    /** Read events by whether they moved the user's marker: {@code moved} or {@code unchanged} (already there). */
    public static final String READ_MARKS = "chat_read_marks_total";
    public static final String READ_ACK_LATENCY = "chat_read_ack_latency_seconds";
    /** Users whose read markers were read from the archive because Redis lacked them: {@code ok} or {@code failed}. */
    public static final String READ_MARKER_LOADS = "chat_read_marker_loads_total";
    /** Sessions saved for connection state recovery when a socket dropped. */
    public static final String RECOVERY_SAVED = "chat_recovery_sessions_saved_total";
    /** Reconnections that presented a pid, by {@code outcome} (one of {@link #RECOVERY_OUTCOMES}). */
    public static final String RECOVERIES = "chat_recoveries_total";
    /** Checks of a user against a private room's or group's members, by outcome: member, outsider, unknown_room. */
    public static final String MEMBER_CHECKS = "chat_member_checks_total";
    /** Membership changes stored (create, add, remove), counted once Kafka has them. */
    public static final String MEMBERSHIP_CHANGES = "chat_membership_changes_total";
    /** Sockets this node took out of a room because their user was removed from it. */
    public static final String MEMBER_EVICTIONS = "chat_member_evictions_total";
    /** Private rooms and groups this node put back into Redis from PostgreSQL after Redis lost them. */
    public static final String MEMBERS_RESTORED = "chat_members_restored_total";
    /** Edits and deletions published, by {@code kind} (edit, delete; an erasure's deletions are deletions). */
    public static final String MESSAGE_CHANGES = "chat_message_changes_total";
    /** Users an admin erased ({@code DELETE /api/users/{user}/messages} calls that completed). */
    public static final String ERASURES = "chat_user_erasures_total";

    /** {@link #REFUSALS} kind: a CONNECT past the user's sockets on this node ({@code chat.limits.socketsperuser}). */
    public static final String REFUSED_SOCKETS = "sockets";
    /** {@link #REFUSALS} kind: an Engine.IO handshake past its address's sessions on this node. */
    public static final String REFUSED_ADDRESS = "address";
    /** {@link #REFUSALS} kind: a join past the socket's rooms ({@code chat.limits.roomspersocket}). */
    public static final String REFUSED_ROOMS = "rooms";
    /** {@link #REFUSALS} kind: a {@code typing} event dropped by the socket's typing rate. */
    public static final String REFUSED_TYPING = "typing";
    /** {@link #REFUSALS} kind: an HTTP API request past its caller's rate. */
    public static final String REFUSED_API_RATE = "api_rate";
    /** {@link #REFUSALS} kind: an HTTP API request whose body is above {@code chat.limits.apibody}. */
    public static final String REFUSED_API_BODY = "api_body";

    /**
     * The events a client sends: the {@code type} label of {@link #EVENTS} and the {@code operation} label of
     * {@link #REDIS_ERRORS}. Their series are registered at 0 when the node starts (their {@code ok} outcome for
     * {@link #EVENTS}), so that an alert on a rate sees the first event after a start as an increase.
     */
    public static final List<String> CLIENT_EVENTS =
            List.of("join", "leave", "message", "dm", "history", "typing", "refresh", "who", "online", "read",
                    "create_room", "create_group", "add_member", "remove_member", "members", "edit", "delete");
    /** The {@code kind} label of {@link #REFUSALS}, each registered at 0 when the node starts. */
    public static final List<String> REFUSAL_KINDS = List.of("auth", "rate", REFUSED_SOCKETS, REFUSED_ADDRESS,
            REFUSED_ROOMS, REFUSED_TYPING, REFUSED_API_RATE, REFUSED_API_BODY);

    /**
     * The {@code outcome} label of {@link #RECOVERIES}: {@code recovered}; {@code unknown} (no session under that
     * user and pid: expired, used, another user's, or never saved); {@code lost} (the client's offset is not among
     * the messages the session kept); {@code too_far} (more missed than a recovery replays); {@code failed} (Redis
     * or the archive failed).
     */
    public static final List<String> RECOVERY_OUTCOMES = List.of("recovered", "unknown", "lost", "too_far", "failed");

    /** The {@code kind} label of {@link #MESSAGE_CHANGES}. */
    public static final List<String> CHANGE_KINDS = List.of("edit", "delete");

    /** Latency buckets from 1 ms to 10 s, straddling the 100 ms delivery objective. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> tagged = new ConcurrentHashMap<>();
    /** The events counter by type, then outcome. */
    private final Map<String, Map<String, Counter>> events = new ConcurrentHashMap<>();
    private final Timer ackLatency;
    private final Timer readAckLatency;
    private final Timer redisPublish;
    private final Timer kafkaProduce;
    private final Timer deliveryLatency;
    private final Counter redisReceived;
    private final Counter deliveries;
    private final Counter overflow;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ackLatency = timer(ACK_LATENCY, "From a message event's arrival to its ack being queued");
        this.readAckLatency = timer(READ_ACK_LATENCY, "From a read event's arrival to its ack being queued");
        this.redisPublish = timer(REDIS_PUBLISH, "Redis sequence-and-publish script duration");
        this.kafkaProduce = timer(KAFKA_PRODUCE, "Kafka produce until the broker acknowledged");
        this.deliveryLatency = timer(DELIVERY_LATENCY,
                "From the accepting node's ts to the frame queued for a socket on the delivering node");
        this.redisReceived = counter(REDIS_RECEIVED, List.of());
        this.deliveries = counter(DELIVERIES, List.of());
        this.overflow = counter(OVERFLOW_DISCONNECTS, List.of());
        registerAtZero();
    }

    /**
     * Counters appear in a scrape only once created; a counter an alert or a panel reads is created here, at 0 for
     * each of its known labels, so {@code rate()} and {@code increase()} count its first event and a panel shows 0,
     * not "no data".
     */
    private void registerAtZero() {
        counter(CONNECTS, List.of());
        counter(KAFKA_ERRORS, List.of());
        for (String event : CLIENT_EVENTS) {
            counter(REDIS_ERRORS, List.of(Tag.create("operation", event)));
            counter(EVENTS, List.of(Tag.create("type", event), Tag.create("outcome", "ok")));
        }
        REFUSAL_KINDS.forEach(kind -> counter(REFUSALS, List.of(Tag.create("kind", kind))));
        for (String outcome : List.of("moved", "unchanged")) {
            counter(READ_MARKS, List.of(Tag.create("outcome", outcome)));
        }
        for (String outcome : List.of("ok", "failed")) {
            counter(READ_MARKER_LOADS, List.of(Tag.create("outcome", outcome)));
        }
        counter(RECOVERY_SAVED, List.of());
        RECOVERY_OUTCOMES.forEach(outcome -> counter(RECOVERIES, List.of(Tag.create("outcome", outcome))));
        counter(MEMBER_EVICTIONS, List.of());
        counter(MEMBERS_RESTORED, List.of());
        CHANGE_KINDS.forEach(kind -> counter(MESSAGE_CHANGES, List.of(Tag.create("kind", kind))));
        counter(ERASURES, List.of());
    }

    /** Reports the open sockets of {@code sockets}; the last node wired in this JVM wins. */
    public void watchOpenSockets(Supplier<Integer> sockets) {
        registry.getOrCreate(Gauge.builder(OPEN_SOCKETS, sockets).description("WebSocket sessions open"));
    }

    /** Reports the node's readiness as {@link #READY}, so that an alert sees what the orchestrator's probe sees. */
    public void watchReadiness(BooleanSupplier ready) {
        registry.getOrCreate(Gauge.builder(READY, () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 while the node is ready for new sessions, 0 while it is not (draining, Redis or"
                        + " Kafka unreachable)"));
    }

    public void connected() {
        counter(CONNECTS, List.of()).increment();
    }

    public void disconnected(String reason) {
        counter(DISCONNECTS, "reason", reason).increment();
    }

    /** An inbound event and its outcome: {@code ok} or an error code. */
    public void event(String type, String outcome) {
        Map<String, Counter> byOutcome = events.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        Counter counter = byOutcome.get(outcome);
        if (counter == null) {
            counter = byOutcome.computeIfAbsent(outcome,
                    o -> counter(EVENTS, List.of(Tag.create("type", type), Tag.create("outcome", o))));
        }
        counter.increment();
    }

    /**
     * Something refused to protect the node: {@code auth}, {@code rate} (an event past the socket's event rate), or
     * one of the {@code REFUSED_} kinds above.
     */
    public void refused(String kind) {
        counter(REFUSALS, "kind", kind).increment();
    }

    /** A dropped socket's session was saved for its reconnection. */
    public void recoverySaved() {
        counter(RECOVERY_SAVED, List.of()).increment();
    }

    /** A reconnection that presented a pid, and what came of it: one of {@link #RECOVERY_OUTCOMES}. */
    public void recovery(String outcome) {
        counter(RECOVERIES, "outcome", outcome).increment();
    }

    public void ackLatency(long nanos) {
        ackLatency.record(Duration.ofNanos(nanos));
    }

    /** A read event raised the user's marker, or found it there already. */
    public void readMark(boolean moved) {
        counter(READ_MARKS, "outcome", moved ? "moved" : "unchanged").increment();
    }

    public void readAckLatency(long nanos) {
        readAckLatency.record(Duration.ofNanos(nanos));
    }

    /** A user's read markers were read from the archive into Redis, or could not be. */
    public void readMarkersLoaded(boolean ok) {
        counter(READ_MARKER_LOADS, "outcome", ok ? "ok" : "failed").increment();
    }

    public void redisPublished(long nanos) {
        redisPublish.record(Duration.ofNanos(nanos));
    }

    public void redisError(String operation) {
        counter(REDIS_ERRORS, "operation", operation).increment();
    }

    public void kafkaProduced(long nanos) {
        kafkaProduce.record(Duration.ofNanos(nanos));
    }

    public void kafkaError() {
        counter(KAFKA_ERRORS, List.of()).increment();
    }

    public void receivedFromRedis() {
        redisReceived.increment();
    }

    public void delivered(int sockets) {
        deliveries.increment(sockets);
    }

    public void deliveryLatency(long millis) {
        deliveryLatency.record(Duration.ofMillis(Math.max(0, millis)));
    }

    public void overflowDisconnect() {
        overflow.increment();
    }

    /** A user checked against a room's members: {@code member}, {@code outsider} or {@code unknown_room}. */
    public void memberCheck(String outcome) {
        counter(MEMBER_CHECKS, "outcome", outcome).increment();
    }

    /** A membership change is durable: {@code create}, {@code add} or {@code remove}. */
    public void membershipChanged(String change) {
        counter(MEMBERSHIP_CHANGES, "change", change).increment();
    }

    public void memberEvicted() {
        counter(MEMBER_EVICTIONS, List.of()).increment();
    }

    public void membersRestored() {
        counter(MEMBERS_RESTORED, List.of()).increment();
    }

    /** An edit or a deletion took its seq and went out to the room ({@code kind}: one of {@link #CHANGE_KINDS}). */
    public void messageChanged(String kind) {
        counter(MESSAGE_CHANGES, "kind", kind).increment();
    }

    public void userErased() {
        counter(ERASURES, List.of()).increment();
    }

    private Timer timer(String name, String description) {
        return registry.getOrCreate(Timer.builder(name)
                .description(description)
                .buckets(LATENCY_BUCKETS)
                .publishPercentileHistogram(false));
    }

    private Counter counter(String name, List<Tag> tags) {
        StringBuilder key = new StringBuilder(name);
        for (Tag tag : tags) {
            key.append('\u0000').append(tag.key()).append('=').append(tag.value());
        }
        return counters.computeIfAbsent(key.toString(), k -> registry.getOrCreate(Counter.builder(name).tags(tags)));
    }

    /**
     * The counter of {@code name} whose one tag has {@code value}, found without building a key: the paths that
     * count every message and every event call this.
     */
    private Counter counter(String name, String tag, String value) {
        Map<String, Counter> byValue = tagged.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        Counter counter = byValue.get(value);
        return counter != null ? counter
                : byValue.computeIfAbsent(value, v -> counter(name, List.of(Tag.create(tag, v))));
    }
}
