package chat.common.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C {@code traceparent} text, the form in which a span's context travels in Redis frames and Kafka headers.
 */
public final class TraceParent {
    /** Header name, as in HTTP. */
    public static final String HEADER = "traceparent";

    private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    private static final TextMapSetter<Map<String, String>> SETTER = Map::put;
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParent() {
    }

    /** The {@code traceparent} of a span, or null when the span carries no valid context. */
    public static String of(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        PROPAGATOR.inject(Context.root().with(span), carrier, SETTER);
        return carrier.get(HEADER);
    }

    /** A context whose parent is the remote span named by {@code traceparent}; root when it is null or invalid. */
    public static Context parse(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return PROPAGATOR.extract(Context.root(), Collections.singletonMap(HEADER, traceparent), GETTER);
    }

    /** The remote span context named by {@code traceparent}, invalid when it names none. */
    public static SpanContext spanContext(String traceparent) {
        return Span.fromContext(parse(traceparent)).getSpanContext();
    }
}
