package chat.common.telemetry;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.providers.micrometer.MicrometerPrometheusFormatterProvider;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;

import java.util.Optional;

/**
 * Writes the OpenMetrics scrape as Micrometer does, but keeps exemplars only on histogram buckets and counters
 * ({@code _bucket}, {@code _total}), where OpenMetrics 1.0 allows them. Micrometer also puts the latest exemplar
 * on a histogram's {@code _count}; Prometheus before 2.43 (Debian 12 ships 2.42) then rejects the whole scrape
 * with "metric name ..._count does not support exemplars" (prometheus/prometheus#11984), and nothing of the
 * target is stored. The buckets carry the same trace ids, so Grafana loses nothing. Found by Helidon through the
 * service loader, ahead of Micrometer's own formatter.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class OpenMetricsExemplars implements MeterRegistryFormatterProvider {
    private final MicrometerPrometheusFormatterProvider micrometer = new MicrometerPrometheusFormatterProvider();

    @Override
    public Optional<MeterRegistryFormatter> formatter(MediaType mediaType, MetricsConfig metricsConfig,
                                                      MeterRegistry registry, Optional<String> scopeTagName,
                                                      Iterable<String> scopeSelection,
                                                      Iterable<String> meterNameSelection) {
        if (!isOpenMetrics(mediaType)) {
            return Optional.empty();
        }
        return micrometer.formatter(mediaType, metricsConfig, registry, scopeTagName, scopeSelection,
                        meterNameSelection)
                .map(formatter -> new MeterRegistryFormatter() {
                    @Override
                    public Optional<Object> format() {
                        return formatter.format()
                                .map(text -> text instanceof String s ? withAllowedExemplars(s) : text);
                    }

                    @Override
                    public Optional<Object> formatMetadata() {
                        return formatter.formatMetadata();
                    }
                });
    }

    /** The exposition with the exemplars of every sample other than a {@code _bucket} or {@code _total} removed. */
    static String withAllowedExemplars(String openMetrics) {
        StringBuilder out = new StringBuilder(openMetrics.length());
        for (String line : openMetrics.split("\n", -1)) {
            out.append(allowedExemplar(line)).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static String allowedExemplar(String line) {
        if (line.startsWith("#") || line.isEmpty()) {
            return line;
        }
        int nameEnd = 0;
        while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
            nameEnd++;
        }
        String name = line.substring(0, nameEnd);
        if (name.endsWith("_bucket") || name.endsWith("_total")) {
            return line;
        }
        int exemplar = line.indexOf(" # {", labelsEnd(line, nameEnd));
        return exemplar < 0 ? line : line.substring(0, exemplar);
    }

    /** Where the sample's label set ends, skipping quoted label values (which may hold any character). */
    private static int labelsEnd(String line, int nameEnd) {
        if (nameEnd >= line.length() || line.charAt(nameEnd) != '{') {
            return nameEnd;
        }
        boolean quoted = false;
        for (int i = nameEnd + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i + 1;
            }
        }
        return line.length();
    }

    private static boolean isOpenMetrics(MediaType mediaType) {
        MediaType openMetrics = MediaTypes.APPLICATION_OPENMETRICS_TEXT;
        return openMetrics.type().equals(mediaType.type()) && openMetrics.subtype().equals(mediaType.subtype());
    }
}
