package chat.loadtest.cluster;

import chat.loadtest.measure.CpuSampler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pids of the local stack's servers, for CPU accounting and pinning: Redis and PostgreSQL name theirs in pid
 * files in their data folders; Kafka is the child JVM running {@code kafka.Kafka}.
 *
 * @param redis      redis-server
 * @param kafka      the Kafka broker's JVM
 * @param postmaster PostgreSQL's postmaster (its backends are its children)
 */
public record StackProcesses(long redis, long kafka, long postmaster) {

    public static StackProcesses find(Path stackDir) {
        long kafka = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p.pid()).contains("kafka.Kafka"))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("No Kafka broker among this JVM's children"));
        return new StackProcesses(pidFile(stackDir.resolve("redis/redis.pid")), kafka,
                pidFile(stackDir.resolve("postgres/data/postmaster.pid")));
    }

    /** The stack's processes, moved into {@code support} with this JVM, their CPU sampled by {@code sampler}. */
    public static StackProcesses supported(Path stackDir, CpuCaps.Group support, CpuSampler sampler) {
        StackProcesses processes = find(stackDir);
        processes.moveInto(support);
        processes.track(sampler);
        return processes;
    }

    /** Every process of the stack, PostgreSQL's backends included. */
    public List<Long> all() {
        List<Long> pids = new ArrayList<>(List.of(redis, kafka));
        pids.addAll(CpuSampler.withDescendants(postmaster));
        return pids;
    }

    /**
     * Moves the stack's processes and this JVM into the support group. This JVM samples every process's CPU: starved
     * by a saturated machine, it would miss a whole window.
     */
    private void moveInto(CpuCaps.Group support) {
        all().forEach(support::add);
        support.add(ProcessHandle.current().pid());
    }

    /** Samples the CPU of Redis, Kafka and PostgreSQL (backends included) under those names. */
    private void track(CpuSampler sampler) {
        sampler.track("redis", () -> List.of(redis));
        sampler.track("kafka", () -> List.of(kafka));
        sampler.track("postgres", () -> CpuSampler.withDescendants(postmaster));
    }

    private static long pidFile(Path file) {
        try {
            return Long.parseLong(Files.readAllLines(file).getFirst().trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the pid file " + file, e);
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
