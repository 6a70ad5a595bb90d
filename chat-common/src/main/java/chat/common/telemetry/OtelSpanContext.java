package chat.common.telemetry;

import io.helidon.tracing.Baggage;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * A Helidon {@link SpanContext} holding the OpenTelemetry context it stands for: a span's context and baggage.
 */
final class OtelSpanContext implements SpanContext {
    private final Context context;

    OtelSpanContext(Context context) {
        this.context = context;
    }

    /** Ours as it is; another implementation's by its ids, as a remote parent that was not sampled. */
    static OtelSpanContext of(SpanContext context) {
        if (context instanceof OtelSpanContext otel) {
            return otel;
        }
        io.opentelemetry.api.trace.SpanContext remote = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
                context.traceId(), context.spanId(), TraceFlags.getDefault(), TraceState.getDefault());
        return new OtelSpanContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote)));
    }

    Context context() {
        return context;
    }

    boolean isValid() {
        return spanContext().isValid();
    }

    @Override
    public String traceId() {
        return spanContext().getTraceId();
    }

    @Override
    public String spanId() {
        return spanContext().getSpanId();
    }

    @Override
    public void asParent(Span.Builder<?> builder) {
        builder.parent(this);
    }

    @Override
    public Baggage baggage() {
        return new OtelBaggage(io.opentelemetry.api.baggage.Baggage.fromContext(context));
    }

    @Override
    public String toString() {
        return "OtelSpanContext[" + traceId() + "/" + spanId() + "]";
    }

    private io.opentelemetry.api.trace.SpanContext spanContext() {
        return io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext();
    }
}
