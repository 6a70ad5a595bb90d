package chat.common.telemetry;

import io.helidon.tracing.HeaderConsumer;
import io.helidon.tracing.HeaderProvider;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.tracing.SpanListener;
import io.helidon.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Helidon {@link Tracer} whose spans are OpenTelemetry spans. Contexts travel as W3C {@code traceparent} and
 * {@code baggage} headers, as they do in our Redis frames and Kafka headers ({@link TraceParent}).
 */
public final class OtelTracer implements Tracer {
    private static final TextMapPropagator PROPAGATOR = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    private static final TextMapGetter<HeaderProvider> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HeaderProvider headers) {
            return headers.keys();
        }

        @Override
        public String get(HeaderProvider headers, String key) {
            return headers == null ? null : headers.get(key).orElse(null);
        }
    };

    private final io.opentelemetry.api.trace.Tracer tracer;
    private final List<SpanListener> listeners = new CopyOnWriteArrayList<>();

    private OtelTracer(io.opentelemetry.api.trace.Tracer tracer) {
        this.tracer = tracer;
    }

    /** A tracer of the system's instrumentation scope. */
    public static OtelTracer create(OpenTelemetry openTelemetry) {
        return create(openTelemetry, SpanNames.SCOPE);
    }

    /** A tracer of the given instrumentation scope. */
    public static OtelTracer create(OpenTelemetry openTelemetry, String scope) {
        return new OtelTracer(openTelemetry.getTracer(scope));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Span.Builder<?> spanBuilder(String name) {
        return new OtelSpanBuilder(tracer.spanBuilder(name), listeners);
    }

    @Override
    public Optional<SpanContext> extract(HeaderProvider headers) {
        Context context = PROPAGATOR.extract(Context.root(), headers, GETTER);
        OtelSpanContext extracted = new OtelSpanContext(context);
        return extracted.isValid() ? Optional.of(extracted) : Optional.empty();
    }

    @Override
    public void inject(SpanContext spanContext, HeaderProvider inbound, HeaderConsumer outbound) {
        PROPAGATOR.inject(OtelSpanContext.of(spanContext).context(), outbound, HeaderConsumer::set);
    }

    @Override
    public Tracer register(SpanListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(tracer)) {
            return type.cast(tracer);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("Not an " + type.getName() + ": " + getClass().getName());
    }
}
