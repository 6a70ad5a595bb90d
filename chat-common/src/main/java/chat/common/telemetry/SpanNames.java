package chat.common.telemetry;

/**
 * Every span of the system, named after OpenTelemetry's messaging and database conventions
 * ({@code <operation> <destination>}), and the attribute keys they carry.
 */
public final class SpanNames {
    /** Accepting node: a client's event read from its WebSocket and handled (SERVER). */
    public static final String RECEIVE = "receive socket.io";
    /** Accepting node: the sequence-and-publish script on Redis (CLIENT). */
    public static final String REDIS_PUBLISH = "EVALSHA publish-message";
    /** Accepting node: the record produced to Kafka (PRODUCER). */
    public static final String KAFKA_SEND = "send chat.messages";
    /** Accepting node: the read-marker script on Redis, which publishes the marker when it moved (CLIENT). */
    public static final String REDIS_RAISE_READ_MARKER = "EVALSHA raise-read-marker";
    /** Accepting node: a read marker produced to Kafka (PRODUCER). */
    public static final String KAFKA_SEND_EVENTS = "send chat.events";
    /** Accepting node: a private room's or group's membership created or changed on Redis (CLIENT). */
    public static final String REDIS_MEMBERS = "EVALSHA room-members";
    /** Accepting node: a membership change produced to Kafka, for the archive's rooms tables (PRODUCER). */
    public static final String KAFKA_SEND_ROOM = "send chat.events";
    /** Every node with members: a frame received from Redis (CONSUMER, parent from the frame). */
    public static final String REDIS_DELIVER = "process redis";
    /** Every node with members: the frame queued for each local socket (INTERNAL). */
    public static final String FANOUT = "send socket.io";
    /** Archiver: one batch of records (CONSUMER, a link per record). */
    public static final String ARCHIVE_BATCH = "process chat.messages";
    /** Archiver: the batch's database transaction (CLIENT). */
    public static final String DB_WRITE = "COPY messages";

    public static final String MESSAGING_SYSTEM = "messaging.system";
    public static final String MESSAGING_OPERATION = "messaging.operation.type";
    public static final String MESSAGING_DESTINATION = "messaging.destination.name";
    public static final String MESSAGING_MESSAGE_ID = "messaging.message.id";
    public static final String MESSAGING_BATCH_COUNT = "messaging.batch.message_count";
    public static final String DB_SYSTEM = "db.system.name";
    public static final String DB_OPERATION = "db.operation.name";
    public static final String DB_COLLECTION = "db.collection.name";
    public static final String CHAT_EVENT = "chat.event";
    public static final String CHAT_SEQ = "chat.seq";
    public static final String CHAT_SOCKETS = "chat.fanout.sockets";

    /** The instrumentation scope name of the system's tracers. */
    public static final String SCOPE = "chat";

    private SpanNames() {
    }
}
