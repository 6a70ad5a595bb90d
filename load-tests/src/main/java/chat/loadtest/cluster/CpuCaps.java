package chat.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU caps through cgroup v1's {@code cpu} controller: one group per capped process under {@code chat-load/}, with
 * a CFS quota, and one uncapped {@code support} group for Redis, Kafka, PostgreSQL and the load generator.
 *
 * <p>The period is 10 ms rather than the default 100 ms: a process capped at a fraction of a CPU that spends its
 * quota early in a period is stopped for the rest of it, and with 100 ms periods that stall alone would eat most
 * of a 100 ms latency budget. The parent group gets a large {@code cpu.shares}, so that other work on the machine cannot take the
 * capped processes below their caps; the caps bound what they can take.
 */
public final class CpuCaps implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CpuCaps.class.getName());
    private static final Path CPU_CONTROLLER = Path.of("/sys/fs/cgroup/cpu");
    private static final long PERIOD_US = 10_000;
    /**
     * The kernel's largest weight. Each process elsewhere on the machine weighs 1024, so under heavy load from
     * others the processes of a run still get the CPU they ask for; they ask for about one core, so others keep
     * the rest.
     */
    private static final int PARENT_SHARES = 262_144;

    private final Path parent;
    private final List<Path> groups = new ArrayList<>();

    private CpuCaps(Path parent) {
        this.parent = parent;
    }

    /** The caps, or empty caps that cap nothing when this machine has no writable cgroup v1 CPU controller. */
    public static CpuCaps create(String name) {
        Path parent = CPU_CONTROLLER.resolve(name);
        if (!Files.isWritable(CPU_CONTROLLER)) {
            LOG.log(Level.WARNING, "No writable {0}: processes run without CPU caps", CPU_CONTROLLER);
            return new CpuCaps(null);
        }
        try {
            Files.createDirectories(parent);
            write(parent.resolve("cpu.shares"), Integer.toString(PARENT_SHARES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the cgroup " + parent, e);
        }
        return new CpuCaps(parent);
    }

    /** Caps that cap nothing: every group runs its processes as they are. */
    public static CpuCaps disabled() {
        return new CpuCaps(null);
    }

    public boolean enabled() {
        return parent != null;
    }

    /** A group whose processes together get at most {@code cpus} CPUs; {@code cpus <= 0} means uncapped. */
    public Group group(String name, double cpus) {
        return group(name, cpus, -1);
    }

    /**
     * A capped group whose processes run on one core only. A multi-threaded process on two cores can spend a
     * period's quota in half the period and is then stopped for the rest of it; on one core, a cap of a quarter CPU
     * means what it says: a quarter of one core's time.
     *
     * @param core the core to pin to, or -1 for any
     */
    public Group group(String name, double cpus, int core) {
        if (parent == null) {
            return new Group(name, null, cpus, core);
        }
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
            write(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            write(dir.resolve("cpu.cfs_quota_us"), cpus <= 0 ? "-1" : Long.toString(Math.round(cpus * PERIOD_US)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set up the cgroup " + dir, e);
        }
        groups.add(dir);
        return new Group(name, dir, cpus, core);
    }

    /** Removes the groups; their processes must have ended, else a group stays and is reused next time. */
    @Override
    public void close() {
        List<Path> created = new ArrayList<>(groups.reversed());
        if (parent != null) {
            created.add(parent);
        }
        for (Path group : created) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cgroup {0} still has processes or groups; left in place", group);
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    /**
     * One cgroup.
     *
     * @param name its name
     * @param dir  its folder, or null when caps are not available
     * @param cpus its cap in CPUs, or 0 for none
     * @param core the one core its processes run on, or -1 for any
     */
    public record Group(String name, Path dir, double cpus, int core) {

        /**
         * The command run inside the group from its first instruction: a shell puts itself in the group, then
         * becomes the command. A JVM started so sizes its thread pools and GC for the cap.
         */
        public List<String> wrap(List<String> command) {
            if (dir == null) {
                return command;
            }
            String pin = core >= 0 ? "taskset -c " + core + " " : "";
            List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
                    "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec " + pin + "\"$@\"", "sh"));
            wrapped.addAll(command);
            return wrapped;
        }

        /** Changes the group's cap, e.g. after a JVM that sized itself for one CPU has started at full speed. */
        public Group limit(double newCpus) {
            if (dir == null) {
                return new Group(name, null, newCpus, core);
            }
            try {
                write(dir.resolve("cpu.cfs_quota_us"), newCpus <= 0 ? "-1" : Long.toString(Math.round(newCpus * PERIOD_US)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot change the cap of " + dir, e);
            }
            return new Group(name, dir, newCpus, core);
        }

        /** Moves a running process (all its threads) into the group. */
        public void add(long pid) {
            if (dir == null) {
                return;
            }
            try {
                write(dir.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Could not move pid {0} into {1}: {2}", pid, dir, e.getMessage());
            }
        }

        /** Periods in which the group hit its cap, and the total time it was held back, from {@code cpu.stat}. */
        public Throttling throttling() {
            if (dir == null) {
                return new Throttling(0, 0, 0);
            }
            try {
                long periods = 0;
                long throttled = 0;
                long nanos = 0;
                for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                    String[] parts = line.split(" ");
                    switch (parts[0]) {
                        case "nr_periods" -> periods = Long.parseLong(parts[1]);
                        case "nr_throttled" -> throttled = Long.parseLong(parts[1]);
                        case "throttled_time" -> nanos = Long.parseLong(parts[1]);
                        default -> { }
                    }
                }
                return new Throttling(periods, throttled, nanos);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + dir.resolve("cpu.stat"), e);
            }
        }
    }

    /** Counters of {@code cpu.stat}; differences of two readings describe the time between them. */
    public record Throttling(long periods, long throttledPeriods, long throttledNanos) {

        public Throttling minus(Throttling earlier) {
            return new Throttling(periods - earlier.periods, throttledPeriods - earlier.throttledPeriods,
                    throttledNanos - earlier.throttledNanos);
        }

        /** The share of periods in which the cap held the group back. */
        public double throttledShare() {
            return periods == 0 ? 0 : (double) throttledPeriods / periods;
        }
    }
}
