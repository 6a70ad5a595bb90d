package chat.node.chat;

import chat.common.telemetry.SpanNames;
import chat.common.telemetry.TraceParent;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.function.Function;

/**
 * A Lua script on Redis as a CLIENT span under {@code parent}. The script is handed the span's {@code traceparent}
 * (null when it is not sampled) for the frames it publishes, so the nodes that receive them continue the trace.
 */
final class ScriptSpan {
    private ScriptSpan() {
    }

    /** @param destination the channel the script publishes on, or null when it names none */
    static <T> T run(Tracer tracer, String name, String destination, Context parent, Function<String, T> script) {
        SpanBuilder builder = tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SpanNames.DB_SYSTEM, "redis")
                .setAttribute(SpanNames.DB_OPERATION, "EVALSHA");
        if (destination != null) {
            builder.setAttribute(SpanNames.MESSAGING_DESTINATION, destination);
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return script.apply(span.getSpanContext().isSampled() ? TraceParent.of(span) : null);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
