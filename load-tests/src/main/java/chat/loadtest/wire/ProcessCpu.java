package chat.loadtest.wire;

import chat.loadtest.measure.ProcStat;

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

    private ProcessCpu() {
    }

    /** User and system ticks of the whole process. */
    static long[] ticks() {
        long[] ticks = ProcStat.userAndSystem(Path.of("/proc/self/stat"));
        return ticks == null ? new long[] {0, 0} : ticks;
    }

    /** User plus system ticks per kind of thread. */
    static Map<String, Long> byThreadKind() {
        Map<String, Long> kinds = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                long[] ticks = ProcStat.userAndSystem(task.resolve("stat"));
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
}
