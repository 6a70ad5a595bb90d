package chat.node.archive;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import chat.common.UserErasure;
import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's side of the durable path: produces every message to {@code chat.messages} (key = room, so a room
 * stays in order within its partition), and read markers (key = user), the connection log (key = user) and room
 * membership changes (key = room) to {@code chat.events}, with an idempotent producer that waits for all in-sync
 * replicas.
 */
public final class ArchiveProducer implements Archive, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ArchiveProducer.class.getName());
    /** How often readiness asks Kafka whether it is there, and how long it waits for the answer. */
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(2);

    private final KafkaProducer<String, String> producer;
    private final JsonCodec codec;
    private final String messagesTopic;
    private final String eventsTopic;
    private final Tracer tracer;
    private final Settings settings;
    private final Admin admin;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kafka-probe").daemon().factory());
    private volatile boolean reachable;
    private volatile boolean topicsChecked;

    public ArchiveProducer(Settings settings, JsonCodec codec, OpenTelemetry telemetry) {
        this.codec = codec;
        this.tracer = telemetry.getTracer(SpanNames.SCOPE);
        this.messagesTopic = settings.messagesTopic();
        this.eventsTopic = settings.eventsTopic();
        this.settings = settings;
        Map<String, Object> adminProps = new HashMap<>(settings.clientProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        this.admin = Admin.create(adminProps);
        Map<String, Object> props = new HashMap<>(settings.clientProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // 1 ms rather than Kafka's 5: acks come 3.5 ms sooner, for about 3 % more node CPU per message at 2,000
        // msg/s (BENCHMARKS.md, "Performance round"). chat.kafka.properties.linger.ms overrides it.
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // send() must not block a socket's reader for long when the broker is away; the ack timeout answers.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.ackTimeout().toMillis());
        // Keep retrying well past the ack timeout: a message acked late or resent with its cid is still stored.
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "chat-node-" + settings.nodeId());
        this.producer = new KafkaProducer<>(props);
        // Topics exist before the first record when Kafka is up at start (the broker would create them itself, with
        // its default partition count). A node that starts before its broker is not ready until a probe reaches
        // Kafka and makes them.
        probe();
        prober.scheduleWithFixedDelay(this::probe, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Asks the cluster for its brokers; readiness follows the answer, and a send's outcome in between. */
    private void probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_PERIOD.toMillis()))
                    .nodes().get(PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            if (!topicsChecked) {
                topicsChecked = createTopics();
            }
            reachable = topicsChecked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (reachable) {
                LOG.log(System.Logger.Level.WARNING, "Kafka is unreachable: " + e);
            }
            reachable = false;
        }
    }

    /**
     * Completes when Kafka has the record. The produce is a PRODUCER span under {@code parent}, and its context
     * travels in the record's {@code traceparent} header to the archiver.
     */
    @Override
    public CompletableFuture<Void> append(ArchiveRecord record, Context parent) {
        return produceTraced(record.message().room(), codec.encode(record), record.message().id(), parent);
    }

    /** A change goes where its message went (key = room), so that the archive reads them in the room's order. */
    @Override
    public CompletableFuture<Void> append(MessageChange change, Context parent) {
        return produceTraced(change.message().room(), codec.encode(change), change.message().id(), parent);
    }

    /** Keyed by the user: an erasure is about the user's row, not about a room. */
    @Override
    public CompletableFuture<Void> erase(UserErasure erasure) {
        return send(new ProducerRecord<>(messagesTopic, erasure.user(), codec.encode(erasure)));
    }

    private CompletableFuture<Void> produceTraced(String room, String value, String messageId, Context parent) {
        Span span = producerSpan(SpanNames.KAFKA_SEND, messagesTopic, parent)
                .setAttribute(SpanNames.MESSAGING_MESSAGE_ID, messageId)
                .startSpan();
        return traced(span, new ProducerRecord<>(messagesTopic, room, value));
    }

    /** The PRODUCER span of a send to {@code topic}, under {@code parent}; the caller adds attributes and starts it. */
    private SpanBuilder producerSpan(String name, String topic, Context parent) {
        return tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "kafka")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "send")
                .setAttribute(SpanNames.MESSAGING_DESTINATION, topic);
    }

    /** Completes when Kafka has the marker; traced as a message is, without a message id. */
    @Override
    public CompletableFuture<Void> mark(ReadMarker marker, Context parent) {
        Span span = producerSpan(SpanNames.KAFKA_SEND_EVENTS, eventsTopic, parent).startSpan();
        return traced(span, new ProducerRecord<>(eventsTopic, marker.user(), codec.encode(marker)));
    }

    /** Sends the record with the span's context in its {@code traceparent} header, and ends the span with it. */
    private CompletableFuture<Void> traced(Span span, ProducerRecord<String, String> produced) {
        String traceparent = TraceParent.of(span);
        if (traceparent != null) {
            produced.headers().add(TraceParent.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        return send(produced).whenComplete((ok, failure) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    /**
     * Completes when Kafka has the change, on the events topic keyed by the room, so a room's changes stay in order
     * within one partition; a PRODUCER span whose context travels in the {@code traceparent} header.
     */
    @Override
    public CompletableFuture<Void> roomChanged(RoomChange change, Context parent) {
        Span span = producerSpan(SpanNames.KAFKA_SEND_ROOM, eventsTopic, parent).startSpan();
        return traced(span, new ProducerRecord<>(eventsTopic, change.room(), codec.encode(change)));
    }

    @Override
    public void log(ConnectionEvent event) {
        send(new ProducerRecord<>(eventsTopic, event.user(), codec.encode(event)));
    }

    /** Whether Kafka answered the last probe, or took the last record sent since. */
    @Override
    public boolean healthy() {
        return reachable;
    }

    private CompletableFuture<Void> send(ProducerRecord<String, String> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> {
                reachable = failure == null;
                if (failure == null) {
                    done.complete(null);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "Kafka produce to " + record.topic() + " failed: "
                            + failure.getMessage());
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            reachable = false;
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Creates the topics that do not exist yet; false when Kafka could not be asked. */
    private boolean createTopics() throws InterruptedException {
        for (String topic : List.of(settings.messagesTopic(), settings.eventsTopic())) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(settings.partitions()),
                                settings.replication())))
                        .all().get(20, TimeUnit.SECONDS);
                LOG.log(System.Logger.Level.INFO, "created Kafka topic " + topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    LOG.log(System.Logger.Level.WARNING, "could not create topic " + topic + ": " + e.getCause());
                    return false;
                }
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "could not create topic " + topic + " in time");
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        prober.shutdownNow();
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * Producer settings.
     *
     * @param nodeId           node id, for the client id
     * @param bootstrap        Kafka bootstrap servers
     * @param messagesTopic    topic of messages
     * @param eventsTopic      topic of the connection log
     * @param partitions       partitions of topics created here
     * @param replication      replication factor of topics created here; empty for the cluster's default
     * @param ackTimeout       how long a sender waits for Kafka before its ack says unavailable
     * @param clientProperties extra Kafka client properties (security settings of a hosted Kafka)
     */
    public record Settings(String nodeId, String bootstrap, String messagesTopic, String eventsTopic, int partitions,
                           Optional<Short> replication, Duration ackTimeout, Map<String, String> clientProperties) {
    }
}
