package chat.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used by a process and its descendants, read from {@code /proc} (Linux): what a benchmark on a shared
 * machine can still measure exactly when other work steals the wall clock.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU seconds (user and system) of the process alone. */
    static double secondsOf(long pid) {
        return ticks(pid, false) / TICKS_PER_SECOND;
    }

    /** CPU seconds of the process and its live descendants, plus the children it has waited for. */
    static double secondsWithDescendants(long pid) {
        double seconds = 0;
        List<Long> family = new ArrayList<>();
        family.add(pid);
        family.addAll(descendants(pid));
        for (long member : family) {
            seconds += ticks(member, member == pid) / TICKS_PER_SECOND;
        }
        return seconds;
    }

    /** The process's command line, argument by argument; empty if it is gone. */
    static List<String> commandLine(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            return List.of(raw.split("\u0000"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Long> descendants(long pid) {
        List<Long> found = new ArrayList<>();
        List<Long> parents = new ArrayList<>(List.of(pid));
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            List<long[]> all = entries
                    .filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(path -> new long[] {Long.parseLong(path.getFileName().toString()), parentOf(path)})
                    .toList();
            while (!parents.isEmpty()) {
                List<Long> next = new ArrayList<>();
                for (long[] process : all) {
                    if (parents.contains(process[1])) {
                        next.add(process[0]);
                    }
                }
                found.addAll(next);
                parents = next;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list /proc", e);
        }
        return found;
    }

    private static long parentOf(Path process) {
        String[] fields = fieldsAfterName(process.resolve("stat"));
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    private static long ticks(long pid, boolean withReapedChildren) {
        String[] fields = fieldsAfterName(Path.of("/proc", Long.toString(pid), "stat"));
        if (fields == null) {
            return 0;
        }
        // After "pid (name)": state is fields[0], utime fields[11], stime [12], cutime [13], cstime [14].
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }

    private static String[] fieldsAfterName(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
