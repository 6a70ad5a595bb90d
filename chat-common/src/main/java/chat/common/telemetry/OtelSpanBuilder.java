package chat.common.telemetry;

import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.tracing.SpanListener;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;

import java.time.Instant;
import java.util.List;

/**
 * Builds an {@link OtelSpan}. Without an explicit {@link #parent(SpanContext)} the span is a child of the current
 * OpenTelemetry context, as any OpenTelemetry span is.
 */
final class OtelSpanBuilder implements Span.Builder<OtelSpanBuilder> {
    private final SpanBuilder builder;
    private final List<SpanListener> listeners;
    private Baggage baggage;

    OtelSpanBuilder(SpanBuilder builder, List<SpanListener> listeners) {
        this.builder = builder;
        this.listeners = listeners;
    }

    @Override
    public OtelSpanBuilder parent(SpanContext parent) {
        OtelSpanContext context = OtelSpanContext.of(parent);
        builder.setParent(context.context());
        baggage = Baggage.fromContext(context.context());
        return this;
    }

    @Override
    public OtelSpanBuilder kind(Span.Kind kind) {
        builder.setSpanKind(switch (kind) {
            case SERVER -> SpanKind.SERVER;
            case CLIENT -> SpanKind.CLIENT;
            case PRODUCER -> SpanKind.PRODUCER;
            case CONSUMER -> SpanKind.CONSUMER;
            case INTERNAL -> SpanKind.INTERNAL;
        });
        return this;
    }

    @Override
    public OtelSpanBuilder tag(String key, String value) {
        builder.setAttribute(key, value);
        return this;
    }

    @Override
    public OtelSpanBuilder tag(String key, Boolean value) {
        builder.setAttribute(key, value);
        return this;
    }

    @Override
    public OtelSpanBuilder tag(String key, Number value) {
        if (OtelSpan.integral(value)) {
            builder.setAttribute(key, value.longValue());
        } else {
            builder.setAttribute(key, value.doubleValue());
        }
        return this;
    }

    @Override
    public Span build() {
        return start();
    }

    @Override
    public Span start(Instant start) {
        listeners.forEach(listener -> listener.starting(this));
        OtelSpan span = new OtelSpan(builder.setStartTimestamp(start).startSpan(),
                new OtelBaggage(baggage == null ? Baggage.current() : baggage), listeners);
        listeners.forEach(listener -> listener.started(span));
        return span;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(builder)) {
            return type.cast(builder);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("Not an " + type.getName() + ": " + getClass().getName());
    }
}
