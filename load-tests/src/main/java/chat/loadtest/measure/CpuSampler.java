package chat.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Samples the CPU time of named components (a node, Redis, Kafka, PostgreSQL, the load generator, and the whole
 * machine) from {@code /proc} four times a second, so that the CPU each used during any window, such as a step's
 * send window, can be read afterwards. A component is a set of pids, asked for again at every sample, because
 * PostgreSQL forks and the load generator changes with each step.
 */
public final class CpuSampler implements AutoCloseable {

    /** The whole machine's busy time, from the first line of {@code /proc/stat}. */
    public static final String MACHINE = "machine";
    private static final long PERIOD_MS = 250;

    private final Map<String, Supplier<List<Long>>> components = new ConcurrentHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;

    private record Sample(long at, Map<String, Long> ticks) {
    }

    public CpuSampler() {
        sampler = Thread.ofPlatform().daemon().name("cpu-sampler").start(this::sampleUntilClosed);
    }

    /** Starts sampling a component; its pids are asked for at every sample. */
    public void track(String name, Supplier<List<Long>> pids) {
        components.put(name, pids);
    }

    public void untrack(String name) {
        components.remove(name);
    }

    /** CPUs (cores busy on average) the component used between two epoch-ms times; 0 when it was not sampled. */
    public double cpus(String name, long from, long to) {
        Sample first = null;
        Sample last = null;
        synchronized (samples) {
            for (Sample sample : samples) {
                if (sample.at() >= from && first == null && sample.ticks().containsKey(name)) {
                    first = sample;
                }
                if (sample.at() <= to && sample.ticks().containsKey(name)) {
                    last = sample;
                }
            }
        }
        if (first == null || last == null || last.at() <= first.at()) {
            return 0;
        }
        double seconds = (last.at() - first.at()) / 1000.0;
        return (last.ticks().get(name) - first.ticks().get(name)) / ProcStat.TICKS_PER_SECOND / seconds;
    }

    @Override
    public void close() {
        sampler.interrupt();
    }

    private void sampleUntilClosed() {
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, Long> ticks = new LinkedHashMap<>();
            ticks.put(MACHINE, machineBusyTicks());
            components.forEach((name, pids) -> ticks.put(name, pids.get().stream().mapToLong(CpuSampler::ticks).sum()));
            synchronized (samples) {
                samples.add(new Sample(System.currentTimeMillis(), ticks));
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** User and system time of a process, all its threads, in ticks; 0 once it is gone. */
    static long ticks(long pid) {
        long[] ticks = ProcStat.userAndSystem(Path.of("/proc", Long.toString(pid), "stat"));
        return ticks == null ? 0 : ticks[0] + ticks[1];
    }

    private static long machineBusyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                // user nice system idle iowait irq softirq steal: all but idle (4) and iowait (5) are busy.
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The pids of a process and all its descendants, e.g. PostgreSQL's postmaster and its backends. */
    public static List<Long> withDescendants(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(process -> {
            pids.add(pid);
            process.descendants().forEach(child -> pids.add(child.pid()));
        });
        return pids;
    }
}
