package chat.loadtest.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pids of the local stack's servers, for CPU accounting: Redis and PostgreSQL name theirs in pid files in
 * their data folders; Kafka is the child JVM running {@code kafka.Kafka}.
 *
 * @param redis      redis-server
 * @param kafka      the Kafka broker's JVM
 * @param postmaster PostgreSQL's postmaster (its backends are its children)
 */
record StackProcesses(long redis, long kafka, long postmaster) {

    static StackProcesses find(Path stackDir) {
        long kafka = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p.pid()).contains("kafka.Kafka"))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("No Kafka broker among this JVM's children"));
        return new StackProcesses(pidFile(stackDir.resolve("redis/redis.pid")), kafka,
                pidFile(stackDir.resolve("postgres/data/postmaster.pid")));
    }

    /** Every process of the stack, PostgreSQL's backends included. */
    List<Long> all() {
        List<Long> pids = new ArrayList<>(List.of(redis, kafka));
        ProcessHandle.of(postmaster).ifPresent(pm -> {
            pids.add(postmaster);
            pm.descendants().forEach(child -> pids.add(child.pid()));
        });
        return pids;
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
