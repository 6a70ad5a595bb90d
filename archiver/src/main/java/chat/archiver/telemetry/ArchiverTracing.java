package chat.archiver.telemetry;

import java.util.List;

import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The archiver's spans, named in {@link SpanNames}: one per batch, linked to the spans that produced its records
 * on the chat nodes (their {@code traceparent} Kafka headers), with a child per database transaction.
 */
public final class ArchiverTracing {

    /** Links per batch span at most: OpenTelemetry's default limit, beyond which links are dropped anyway. */
    public static final int MAX_LINKS = 128;

    private final Tracer tracer;

    public ArchiverTracing(OpenTelemetry telemetry) {
        this.tracer = telemetry.getTracer(SpanNames.SCOPE);
    }

    /**
     * Starts the span of a batch of {@code records} records, some of them produced under {@code traceparents}: a
     * link to each producer, and the first sampled producer as parent, so that message's one trace runs from the
     * WebSocket frame to the database row.
     */
    public Span batchStarted(int records, List<String> traceparents) {
        SpanBuilder span = tracer.spanBuilder(SpanNames.ARCHIVE_BATCH)
                .setSpanKind(SpanKind.CONSUMER)
                .setNoParent()
                .setAttribute(SpanNames.MESSAGING_SYSTEM, "kafka")
                .setAttribute(SpanNames.MESSAGING_OPERATION, "process")
                .setAttribute(AttributeKey.longKey(SpanNames.MESSAGING_BATCH_COUNT), (long) records);
        boolean parented = false;
        for (String traceparent : traceparents) {
            SpanContext producer = TraceParent.spanContext(traceparent);
            if (producer.isValid()) {
                span.addLink(producer);
                if (!parented && producer.isSampled()) {
                    span.setParent(Context.root().with(Span.wrap(producer)));
                    parented = true;
                }
            }
        }
        return span.startSpan();
    }

    /** Starts the span of one attempt at the batch's transaction, a child of the batch's span. */
    public Span transactionStarted(Span batch) {
        return tracer.spanBuilder(SpanNames.DB_WRITE)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.root().with(batch))
                .setAttribute(SpanNames.DB_SYSTEM, "postgresql")
                .setAttribute(SpanNames.DB_OPERATION, "COPY")
                .setAttribute(SpanNames.DB_COLLECTION, "messages")
                .startSpan();
    }
}
