package chat.common.telemetry;

import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.metrics.spi.MetersProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Collection;
import java.util.List;

/**
 * The process's CPU usage, which Helidon's system meters lack (they give only the host's load average):
 * {@code process_cpu_usage}, the share of all available processors this JVM used recently, 0 to 1. Found by
 * Helidon through the service loader, beside its system meters.
 */
public final class ProcessCpuMeters implements MetersProvider {
    @Override
    public Collection<Meter.Builder<?, ?>> meterBuilders(MetricsFactory factory) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean jvm)) {
            return List.of();
        }
        return List.of(factory.gaugeBuilder("process.cpu.usage", jvm,
                        com.sun.management.OperatingSystemMXBean::getProcessCpuLoad)
                .scope("base")
                .description("Share of all available processors used by this JVM recently, 0 to 1"));
    }
}
