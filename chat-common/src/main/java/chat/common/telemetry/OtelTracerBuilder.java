package chat.common.telemetry;

import io.helidon.config.Config;
import io.helidon.tracing.Tracer;
import io.helidon.tracing.TracerBuilder;
import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * Builds an {@link OtelTracer} over {@link GlobalOpenTelemetry}. Only the service name (the instrumentation scope),
 * {@code enabled} and {@code global} take effect: where spans go, and how they are sampled, is the OpenTelemetry
 * SDK's business ({@link Tracing}), so the collector settings are accepted and ignored.
 */
final class OtelTracerBuilder implements TracerBuilder<OtelTracerBuilder> {
    private String serviceName = SpanNames.SCOPE;
    private boolean enabled = true;
    private boolean registerGlobal = true;

    @Override
    public OtelTracerBuilder serviceName(String name) {
        this.serviceName = name;
        return this;
    }

    @Override
    public OtelTracerBuilder collectorProtocol(String protocol) {
        return this;
    }

    @Override
    public OtelTracerBuilder collectorPort(int port) {
        return this;
    }

    @Override
    public OtelTracerBuilder collectorHost(String host) {
        return this;
    }

    @Override
    public OtelTracerBuilder collectorPath(String path) {
        return this;
    }

    @Override
    public OtelTracerBuilder addTracerTag(String key, String value) {
        return this;
    }

    @Override
    public OtelTracerBuilder addTracerTag(String key, Number value) {
        return this;
    }

    @Override
    public OtelTracerBuilder addTracerTag(String key, boolean value) {
        return this;
    }

    @Override
    public OtelTracerBuilder config(Config config) {
        config.get("service").asString().ifPresent(this::serviceName);
        config.get("enabled").asBoolean().ifPresent(this::enabled);
        config.get("global").asBoolean().ifPresent(this::registerGlobal);
        return this;
    }

    @Override
    public OtelTracerBuilder enabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    @Override
    public OtelTracerBuilder registerGlobal(boolean global) {
        this.registerGlobal = global;
        return this;
    }

    @Override
    public <B> B unwrap(Class<B> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("Not an " + type.getName() + ": " + getClass().getName());
    }

    @Override
    public Tracer build() {
        Tracer tracer = enabled ? OtelTracer.create(GlobalOpenTelemetry.get(), serviceName) : Tracer.noOp();
        if (registerGlobal) {
            Tracer.global(tracer);
        }
        return tracer;
    }
}
