package chat.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A one-line description of this machine for the report: CPU model, cores, memory, kernel. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static String describe() {
        String model = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        long memKb = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        String kernel = Optional.ofNullable(System.getProperty("os.version")).orElse("");
        return String.format("%d cores (%s), %.0f GiB, Linux %s, Java %s", cores(), model, memKb / 1024.0 / 1024.0, kernel, System.getProperty("java.version"));
    }

    /**
     * The machine's cores, counted from {@code /proc/cpuinfo}: this JVM may be pinned to fewer, which is all
     * {@link Runtime#availableProcessors()} sees.
     */
    public static int cores() {
        long processors = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("processor")).count();
        return processors > 0 ? (int) processors : Runtime.getRuntime().availableProcessors();
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
