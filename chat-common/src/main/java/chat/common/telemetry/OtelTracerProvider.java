package chat.common.telemetry;

import io.helidon.tracing.Span;
import io.helidon.tracing.Tracer;
import io.helidon.tracing.TracerBuilder;
import io.helidon.tracing.spi.TracerProvider;
import io.opentelemetry.api.GlobalOpenTelemetry;

import java.util.Optional;

/**
 * Lets Helidon's tracing API ({@code io.helidon.tracing}) record OpenTelemetry spans, so Helidon components and our
 * own OpenTelemetry spans land in the same traces. Found by Helidon through the service loader.
 *
 * <p>The global tracer is the one set with {@link Tracer#global(Tracer)} (for instance
 * {@code Tracer.global(OtelTracer.create(openTelemetry))}), and otherwise one over {@link GlobalOpenTelemetry}.
 */
public final class OtelTracerProvider implements TracerProvider {
    private volatile Tracer global;

    @Override
    public TracerBuilder<?> createBuilder() {
        return new OtelTracerBuilder();
    }

    @Override
    public Tracer global() {
        Tracer tracer = global;
        if (tracer == null) {
            tracer = OtelTracer.create(GlobalOpenTelemetry.get());
            global = tracer;
        }
        return tracer;
    }

    @Override
    public void global(Tracer tracer) {
        global = tracer;
    }

    @Override
    public Optional<Span> currentSpan() {
        return OtelSpan.current();
    }

    @Override
    public boolean available() {
        return true;
    }
}
