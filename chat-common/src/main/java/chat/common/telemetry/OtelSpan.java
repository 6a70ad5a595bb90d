package chat.common.telemetry;

import io.helidon.tracing.Scope;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanListener;
import io.helidon.tracing.WritableBaggage;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Helidon {@link Span} that is an OpenTelemetry span. Its baggage is carried beside it and joins the
 * OpenTelemetry context when the span is activated or its context injected.
 */
final class OtelSpan implements Span {
    private final io.opentelemetry.api.trace.Span span;
    private final OtelBaggage baggage;
    private final List<SpanListener> listeners;

    OtelSpan(io.opentelemetry.api.trace.Span span, OtelBaggage baggage, List<SpanListener> listeners) {
        this.span = span;
        this.baggage = baggage;
        this.listeners = listeners;
    }

    /** The current OpenTelemetry span, if there is a valid one. */
    static Optional<Span> current() {
        io.opentelemetry.api.trace.Span current = io.opentelemetry.api.trace.Span.current();
        if (!current.getSpanContext().isValid()) {
            return Optional.empty();
        }
        return Optional.of(new OtelSpan(current, new OtelBaggage(Baggage.current()), List.of()));
    }

    static boolean integral(Number value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    @Override
    public Span tag(String key, String value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public Span tag(String key, Boolean value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public Span tag(String key, Number value) {
        if (integral(value)) {
            span.setAttribute(key, value.longValue());
        } else {
            span.setAttribute(key, value.doubleValue());
        }
        return this;
    }

    @Override
    public void status(Status status) {
        span.setStatus(switch (status) {
            case OK -> StatusCode.OK;
            case ERROR -> StatusCode.ERROR;
            case UNSET -> StatusCode.UNSET;
        });
    }

    @Override
    public OtelSpanContext context() {
        return new OtelSpanContext(otelContext(Context.root()));
    }

    @Override
    public void addEvent(String name, Map<String, ?> attributes) {
        AttributesBuilder builder = Attributes.builder();
        attributes.forEach((key, value) -> {
            switch (value) {
                case Boolean b -> builder.put(key, b);
                case Number n when integral(n) -> builder.put(key, n.longValue());
                case Number n -> builder.put(key, n.doubleValue());
                default -> builder.put(key, String.valueOf(value));
            }
        });
        span.addEvent(name, builder.build());
    }

    @Override
    public void end() {
        span.end();
        listeners.forEach(listener -> listener.ended(this));
    }

    @Override
    public void end(Instant end) {
        span.end(end);
        listeners.forEach(listener -> listener.ended(this));
    }

    @Override
    public void end(Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        span.end();
        listeners.forEach(listener -> listener.ended(this, failure));
    }

    @Override
    public Scope activate() {
        OtelScope scope = new OtelScope(otelContext(Context.current()).makeCurrent());
        scope.onClose(() -> listeners.forEach(listener -> listener.closed(this, scope)));
        listeners.forEach(listener -> listener.activated(this, scope));
        return scope;
    }

    @Override
    public Span baggage(String key, String value) {
        baggage.set(key, value);
        return this;
    }

    @Override
    public Optional<String> baggage(String key) {
        return baggage.get(key);
    }

    @Override
    public WritableBaggage baggage() {
        return baggage;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(span)) {
            return type.cast(span);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("Not an " + type.getName() + ": " + getClass().getName());
    }

    private Context otelContext(Context base) {
        return base.with(span).with(baggage.toOtel());
    }
}
