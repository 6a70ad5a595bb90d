package chat.common.telemetry;

import io.helidon.tracing.WritableBaggage;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A span's baggage: Helidon lets a span's baggage change after it started, OpenTelemetry's is immutable, so the
 * entries live here and become an OpenTelemetry {@link Baggage} when the span's context is used.
 */
final class OtelBaggage implements WritableBaggage {
    private final Map<String, String> entries = new ConcurrentHashMap<>();

    OtelBaggage(Baggage initial) {
        initial.forEach((key, entry) -> entries.put(key, entry.getValue()));
    }

    @Override
    public WritableBaggage set(String key, String value) {
        entries.put(key, value);
        return this;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    Baggage toOtel() {
        BaggageBuilder builder = Baggage.builder();
        entries.forEach(builder::put);
        return builder.build();
    }
}
