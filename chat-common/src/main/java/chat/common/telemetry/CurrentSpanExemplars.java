package chat.common.telemetry;

import io.helidon.metrics.providers.micrometer.spi.SpanContextSupplierProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.client.exemplars.tracer.common.SpanContextSupplier;

/**
 * Gives Helidon's Prometheus meters the current OpenTelemetry span, so latency histograms carry the trace id of a
 * sampled request as an OpenMetrics exemplar. Found by Helidon through the service loader.
 */
public final class CurrentSpanExemplars implements SpanContextSupplierProvider {
    @Override
    public SpanContextSupplier get() {
        return new SpanContextSupplier() {
            @Override
            public String getTraceId() {
                SpanContext context = Span.current().getSpanContext();
                return context.isValid() ? context.getTraceId() : null;
            }

            @Override
            public String getSpanId() {
                SpanContext context = Span.current().getSpanContext();
                return context.isValid() ? context.getSpanId() : null;
            }

            @Override
            public boolean isSampled() {
                return Span.current().getSpanContext().isSampled();
            }
        };
    }
}
