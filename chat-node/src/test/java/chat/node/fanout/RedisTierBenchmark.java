package chat.node.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The Redis tier alone: concurrent senders run the publish script ({@link RedisRoomBus#publishMessage}) to random
 * rooms as fast as Redis answers, each message with a cid as clients send them, on three deployments: one Redis; a
 * Redis Cluster of 3 masters (sharded pub/sub); 3 masters with a replica each that every message waits for
 * ({@code WAIT 1}). On each, two buses stand for two chat nodes, each subscribed to every room's channel. With
 * {@code -Dbenchmark.masters=1} the clusters have one master, which shows what cluster mode costs a master apart
 * from how much of the load it gets.
 *
 * <p>Per measured window it reports messages published per second, the frames each bus received, the CPU time of
 * every Redis process (masters one by one and summed, replicas apart) and of this JVM, and messages per
 * Redis-CPU-second. A master runs the script on its one thread, so that figure is how many messages a second make
 * one master saturate a core, and a cluster of N masters has N times it; the rate itself is bound by the machine,
 * where the senders compete with Redis for the cores.
 *
 * <p>Each round runs the deployments in a rotated order; each window follows a warm-up of the senders on that
 * deployment. After it the senders stop and the buses must receive every message published on the deployment so
 * far; a shortfall, a gap or a step back in a room's seq, an error or a repeat fails the run (exit status 1).
 *
 * <p>Run with {@code ./mvnw -q -pl chat-node -Predis-benchmark test-compile exec:exec}; the properties
 * {@code benchmark.seconds}, {@code benchmark.warmup}, {@code benchmark.senders}, {@code benchmark.rooms},
 * {@code benchmark.rounds} and {@code benchmark.masters} change the run.
 */
public final class RedisTierBenchmark {
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private RedisTierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        Duration measured = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 20));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("benchmark.warmup", 10));
        int senders = Integer.getInteger("benchmark.senders", 64);
        int rooms = Integer.getInteger("benchmark.rooms", 1000);
        int rounds = Integer.getInteger("benchmark.rounds", 3);
        int masters = Integer.getInteger("benchmark.masters", 3);
        System.out.printf("%s, %d processors, Java %s; %d senders (virtual threads) through 2 buses, %d rooms, %d s "
                        + "warm-up and %d s measured per window, %d rounds, clusters of %d masters; load average %s%n",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(), Runtime.version(),
                senders, rooms, warmup.toSeconds(), measured.toSeconds(), rounds, masters, load());
        Path folder = Files.createTempDirectory("redis-tier-benchmark-");
        List<RedisTier> tiers = new ArrayList<>();
        List<RedisTierWindow> windows = new ArrayList<>();
        boolean exact;
        try {
            // Each bus holds a connection per sender to each master, so that no sender waits for the pool.
            tiers.add(RedisTier.single(folder.resolve("single"), rooms, senders));
            String cluster = masters == 1 ? "1 master" : masters + " masters";
            tiers.add(RedisTier.cluster(cluster, folder.resolve("cluster"), masters, 0, rooms, senders));
            tiers.add(RedisTier.cluster(cluster + (masters == 1 ? " + 1 replica" : " + 1 replica each") + ", WAIT 1",
                    folder.resolve("replicated"), masters, 1, rooms, senders));
            System.out.println(RedisTierWindow.HEADER);
            for (int round = 1; round <= rounds; round++) {
                List<RedisTier> order = new ArrayList<>(tiers);
                Collections.rotate(order, -(round - 1));
                for (RedisTier tier : order) {
                    RedisTierWindow window = measure(tier, round, senders, warmup, measured);
                    windows.add(window);
                    System.out.println(window);
                }
            }
            exact = report(tiers, windows);
        } finally {
            for (RedisTier tier : tiers) {
                tier.close();
            }
            deleteTree(folder);
        }
        System.exit(exact ? 0 : 1);
    }

    /** Warms the deployment up with the senders, measures one window, stops them and lets the buses catch up. */
    private static RedisTierWindow measure(RedisTier tier, int round, int senders, Duration warmup,
                                           Duration measured) throws InterruptedException {
        tier.startSenders(senders);
        Thread.sleep(warmup.toMillis());
        String load = load();
        RedisTier.Snapshot start = tier.snapshot();
        Thread.sleep(measured.toMillis());
        RedisTier.Snapshot end = tier.snapshot();
        tier.stopSenders();
        if (!tier.settle(SETTLE)) {
            System.out.println("not every message reached both buses within " + SETTLE.toSeconds() + " s: "
                    + tier.deliveries());
        }
        return tier.window(round, start, end, load);
    }

    /** Prints each deployment's windows added up, the per-master split and the deliveries; true if exact. */
    private static boolean report(List<RedisTier> tiers, List<RedisTierWindow> windows) {
        System.out.println();
        System.out.println(RedisTierWindow.SUMMARY_HEADER);
        List<RedisTierWindow> totals = new ArrayList<>();
        for (RedisTier tier : tiers) {
            List<RedisTierWindow> of = windows.stream().filter(w -> w.deployment().equals(tier.name())).toList();
            RedisTierWindow all = of.stream().reduce(RedisTierWindow::plus).orElseThrow();
            totals.add(all);
            System.out.println(all.summary(
                    of.stream().mapToDouble(RedisTierWindow::perRedisCpuSecond).min().orElseThrow(),
                    of.stream().mapToDouble(RedisTierWindow::perRedisCpuSecond).max().orElseThrow()));
        }
        System.out.println();
        System.out.println(RedisTierWindow.MASTERS_HEADER);
        for (int i = 0; i < tiers.size(); i++) {
            System.out.println(totals.get(i).masterRows(tiers.get(i).masterPorts()));
        }
        System.out.println();
        tiers.forEach(tier -> System.out.println(tier.deliveries()));
        boolean exact = tiers.stream().allMatch(RedisTier::exact);
        System.out.println(exact
                ? "Deliveries exact: every message published reached both buses once, each room's in seq order; "
                + "no error, no repeat."
                : "ASSERTION FAILED: a message did not reach a bus, a room's seq jumped or stepped back, or a publish "
                + "failed or repeated; see above.");
        return exact;
    }

    /** The load average of the last minute, to tell a quiet machine from a busy one. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
