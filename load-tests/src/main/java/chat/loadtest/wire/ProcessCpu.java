package chat.loadtest.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This process's CPU time from {@code /proc/self}, in ticks: user and system in all, and per kind of thread (the
 * thread name without its number: event loops, JIT compilers, GC), so a run shows where the generator's CPU went.
 * Zeros and nothing where there is no {@code /proc}.
 */
final class ProcessCpu {

    /** USER_HZ, the unit of {@code /proc} CPU times on Linux. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** User and system ticks of the whole process. */
    static long[] ticks() {
        long[] ticks = ticks(Path.of("/proc/self/stat"));
        return ticks == null ? new long[] {0, 0} : ticks;
    }

    /** User plus system ticks per kind of thread. */
    static Map<String, Long> byThreadKind() {
        Map<String, Long> kinds = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                long[] ticks = ticks(task.resolve("stat"));
                String name = comm(task);
                if (ticks != null && name != null) {
                    kinds.merge(name.replaceAll("[-#\\d]+$", "").trim(), ticks[0] + ticks[1], Long::sum);
                }
            }
        } catch (IOException e) {
            return kinds;
        }
        return kinds;
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static long[] ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ", utime (field 14) and stime (15) are at 11 and 12.
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
