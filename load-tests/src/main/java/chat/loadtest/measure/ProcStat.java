package chat.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU times in a Linux {@code stat} file of {@code /proc} (a process's or one thread's), in ticks. */
public final class ProcStat {

    /** USER_HZ, the unit of {@code /proc} CPU times on Linux. */
    public static final double TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** User and system ticks, or null when the file cannot be read (the process or thread is gone). */
    public static long[] userAndSystem(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
