package chat.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine split for measuring nodes: the last core for the nodes under test, the other cores for Redis, Kafka,
 * PostgreSQL, the load generator and the JVM running the measurement, so that the CPU and latency a node shows are
 * its own, not the support processes' claim on its core. Nodes are pinned through their CPU group, so a split needs
 * CPU caps (root, cgroup v1) and two cores or more; without them nothing is pinned.
 *
 * @param nodeCore     the core of the nodes under test, or -1 when nothing is pinned
 * @param supportCores the cores of everything else, as {@code taskset -c} takes them ({@code 0}, {@code 0-6}), or
 *                     empty when nothing is pinned
 */
public record CoreSplit(int nodeCore, String supportCores) {

    /** The split of a machine with {@code cores} cores, or none when it has one core or no CPU caps. */
    public static CoreSplit of(int cores, boolean capsEnabled) {
        if (cores < 2 || !capsEnabled) {
            return new CoreSplit(-1, "");
        }
        return new CoreSplit(cores - 1, cores == 2 ? "0" : "0-" + (cores - 2));
    }

    public boolean pinned() {
        return nodeCore >= 0;
    }

    /**
     * Pins every thread of the stack's processes and of this JVM to the support cores; their new threads and
     * PostgreSQL's new backends inherit it. Does nothing when the machine is not split.
     */
    public void pinSupport(StackProcesses stack) {
        if (!pinned()) {
            return;
        }
        List<Long> pids = new ArrayList<>(stack.all());
        // This JVM samples every process's CPU: starved on the nodes' core, it would miss a whole window.
        pids.add(ProcessHandle.current().pid());
        for (long pid : pids) {
            try {
                new ProcessBuilder("taskset", "-a", "-p", "-c", supportCores, Long.toString(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("taskset is needed to pin the support processes", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The uncapped group load generators start in once the machine is split: on the first core. */
    public CpuCaps.Group generators(CpuCaps caps) {
        return caps.group("support-pinned", 0, 0);
    }
}
