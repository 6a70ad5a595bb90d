package chat.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a local server process: its resident set from {@code /proc/<pid>/status}, and for a JVM the heap
 * in use right after a full GC (by {@code jcmd}), which is what live connections hold.
 *
 * @param rssBytes      resident set size
 * @param liveHeapBytes heap in use after a full GC, or -1 when the process is no JVM
 */
public record ProcessMemory(long rssBytes, long liveHeapBytes) {

    private static final System.Logger LOG = System.getLogger(ProcessMemory.class.getName());
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** A generation or region line of {@code GC.heap_info}, e.g. {@code def new generation total 4800K, used 183K}. */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final long JCMD_TIMEOUT_SECONDS = 30;

    public static ProcessMemory of(long pid) {
        long liveHeap = isJvm(pid) ? liveHeapAfterGc(pid) : -1;
        return new ProcessMemory(rss(pid), liveHeap);
    }

    static long rss(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the memory of pid " + pid, e);
        }
    }

    private static boolean isJvm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("java");
        } catch (IOException e) {
            return false;
        }
    }

    private static long liveHeapAfterGc(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long usedKb = 0;
        for (String line : info.lines().filter(l -> !l.contains("Metaspace") && !l.contains("class space")).toList()) {
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                usedKb += Long.parseLong(m.group(1));
            }
        }
        return usedKb * 1024;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                LOG.log(System.Logger.Level.WARNING, "jcmd {0} {1} failed: {2}", pid, command, output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run jcmd " + command + " on pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running jcmd on pid " + pid, e);
        }
    }
}
