package chat.common.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds a service's OpenTelemetry SDK. The standard {@code OTEL_*} variables (endpoint, sampler, resource) win
 * over the service's own configuration, which only supplies defaults: spans go out over OTLP when an endpoint is
 * configured and nowhere otherwise, sampled by trace id ratio and following the parent's decision.
 */
public final class Tracing {
    private Tracing() {
    }

    /**
     * @param serviceName  {@code service.name} of the resource
     * @param endpoint     OTLP endpoint (http/protobuf, e.g. {@code http://jaeger:4318}), or empty for none
     * @param samplerRatio fraction of new traces recorded, 0 to 1
     */
    public static OpenTelemetry start(String serviceName, String endpoint, double samplerRatio) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", serviceName);
        defaults.put("otel.traces.sampler", "parentbased_traceidratio");
        defaults.put("otel.traces.sampler.arg", Double.toString(samplerRatio));
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        boolean exported = !endpoint.isBlank() || System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != null;
        defaults.put("otel.traces.exporter", exported ? "otlp" : "none");
        if (!endpoint.isBlank()) {
            defaults.put("otel.exporter.otlp.endpoint", endpoint);
        }
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }
}
