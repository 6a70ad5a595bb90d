package chat.node.fanout;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageIds;
import chat.stack.RedisCluster;
import chat.stack.RedisServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * A Redis deployment under {@link RedisTierBenchmark}: its Redis processes, two buses standing for two chat nodes
 * that are each subscribed to every room's channel, the senders that publish through them, and what went through.
 */
final class RedisTier implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int RECENT_PER_ROOM = 2000;
    /** A chat line of typical length: with ids, room, sender and cid the message JSON is about 220 bytes. */
    private static final String TEXT = "Are we still on for the release review at three? I'll bring the notes.";

    private final String name;
    private final List<Integer> masterPorts;
    private final List<Long> masterPids;
    private final List<Long> replicaPids;
    private final Runnable stopServers;
    private final List<String> rooms;
    /** The index in {@link #masterPorts} of each room's master. */
    private final int[] roomMaster;
    private final List<RedisRoomBus> buses = new ArrayList<>();
    private final List<Receiver> receivers = new ArrayList<>();
    private final LongAdder[] published;
    private final LongAdder publishNanos = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder repeated = new LongAdder();
    private final AtomicReference<RuntimeException> firstError = new AtomicReference<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean sending;
    private int runs;

    private RedisTier(String name, String url, String seeds, int replicas, List<Integer> masterPorts,
                      List<Long> masterPids, List<Long> replicaPids, ToIntFunction<String> portOfKey,
                      Runnable stopServers, int roomCount, int poolSize) {
        this.name = name;
        this.masterPorts = masterPorts;
        this.masterPids = masterPids;
        this.replicaPids = replicaPids;
        this.stopServers = stopServers;
        this.rooms = IntStream.range(0, roomCount).mapToObj(i -> "room-" + i).toList();
        this.roomMaster = rooms.stream()
                .mapToInt(room -> masterPorts.indexOf(portOfKey.applyAsInt(Channels.seqKey(room)))).toArray();
        this.published = IntStream.range(0, masterPorts.size()).mapToObj(i -> new LongAdder())
                .toArray(LongAdder[]::new);
        for (String node : List.of("node-a", "node-b")) {
            RedisRoomBus bus = new RedisRoomBus(node, url, seeds, poolSize, TIMEOUT, replicas, RECENT_PER_ROOM,
                    new JsonCodec());
            Receiver receiver = new Receiver();
            bus.start(receiver);
            buses.add(bus);
            receivers.add(receiver);
        }
    }

    /** One Redis server: every room on it, classic pub/sub, no replica. */
    static RedisTier single(Path dir, int rooms, int poolSize) {
        RedisServer server = RedisServer.start(dir, 0, false);
        return subscribed(new RedisTier("one Redis", server.url(), "", 0, List.of(server.port()),
                List.of(server.pid()), List.of(), key -> server.port(), server::close, rooms, poolSize));
    }

    /** A Redis Cluster; with replicas, every message waits for one of them ({@code WAIT 1}) before it counts. */
    static RedisTier cluster(String name, Path dir, int masters, int replicasPerMaster, int rooms, int poolSize) {
        RedisCluster cluster = RedisCluster.start(dir, masters, replicasPerMaster, RedisCluster.DEFAULT_NODE_TIMEOUT);
        // The nodes were started masters first, and nothing failed over since.
        List<Integer> ports = cluster.ports().subList(0, masters);
        List<Long> pids = cluster.pids();
        if (!Set.copyOf(cluster.masterPorts()).equals(Set.copyOf(ports))) {
            cluster.close();
            throw new IllegalStateException("the cluster's masters are " + cluster.masterPorts() + ", not " + ports);
        }
        return subscribed(new RedisTier(name, "redis://127.0.0.1:" + ports.getFirst(), cluster.seeds(),
                replicasPerMaster, ports, pids.subList(0, masters), pids.subList(masters, pids.size()),
                cluster::masterPortOf, cluster::close, rooms, poolSize));
    }

    /** Subscribes both buses to every room's channel and returns once Redis confirmed them all. */
    private static RedisTier subscribed(RedisTier tier) {
        try {
            List<CompletableFuture<Void>> confirmations = new ArrayList<>();
            for (RedisRoomBus bus : tier.buses) {
                tier.rooms.forEach(room -> confirmations.add(bus.subscribe(Channels.room(room))));
            }
            CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            return tier;
        } catch (RuntimeException e) {
            tier.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    List<Integer> masterPorts() {
        return masterPorts;
    }

    /** Starts {@code count} virtual threads, half sending through each bus, as fast as Redis answers. */
    void startSenders(int count) {
        sending = true;
        int run = ++runs;
        // One id generator per bus, as each chat node has one.
        List<MessageIds> idsOfBus = buses.stream().map(bus -> new MessageIds()).toList();
        for (int i = 0; i < count; i++) {
            RedisRoomBus bus = buses.get(i % buses.size());
            MessageIds ids = idsOfBus.get(i % buses.size());
            String user = "user-" + i;
            // A cid unique per sender over the whole benchmark, as a client makes one per message it sends.
            String cidPrefix = run + "-";
            senders.add(Thread.ofVirtual().name("sender-" + i).start(() -> send(bus, ids, user, cidPrefix)));
        }
    }

    private void send(RedisRoomBus bus, MessageIds ids, String user, String cidPrefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long n = 0; sending; n++) {
            int room = random.nextInt(rooms.size());
            ChatMessage draft = new ChatMessage(ids.next(), rooms.get(room), 0, user, TEXT,
                    System.currentTimeMillis(), cidPrefix + n);
            long started = System.nanoTime();
            try {
                Sequenced sequenced = bus.publishMessage("message", draft, List.of(Channels.room(draft.room())),
                        null);
                publishNanos.add(System.nanoTime() - started);
                (sequenced.repeated() ? repeated : published[roomMaster[room]]).increment();
            } catch (RuntimeException e) {
                errors.increment();
                firstError.compareAndSet(null, e);
            }
        }
    }

    /** Stops the senders, each after its call in flight. */
    void stopSenders() throws InterruptedException {
        sending = false;
        for (Thread sender : senders) {
            sender.join();
        }
        senders.clear();
    }

    /** Waits until each bus received every message published so far, or {@code max} passed; true if they did. */
    boolean settle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (receivers.stream().anyMatch(r -> r.frames.sum() < total()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return receivers.stream().allMatch(r -> r.frames.sum() == total());
    }

    private long total() {
        long sum = 0;
        for (LongAdder adder : published) {
            sum += adder.sum();
        }
        return sum;
    }

    /** The counters and CPU times now, to subtract a window's start from its end. */
    Snapshot snapshot() {
        long[] frames = receivers.stream().mapToLong(r -> r.frames.sum()).toArray();
        double[] masterCpu = masterPids.stream().mapToDouble(RedisTier::cpu).toArray();
        double replicaCpu = replicaPids.stream().mapToDouble(RedisTier::cpu).sum();
        return new Snapshot(System.nanoTime(), sums(published), frames, publishNanos.sum(), errors.sum(), masterCpu,
                replicaCpu, cpu(ProcessHandle.current().pid()));
    }

    RedisTierWindow window(int round, Snapshot start, Snapshot end, String load) {
        double[] masterCpu = IntStream.range(0, start.masterCpu.length)
                .mapToDouble(i -> end.masterCpu[i] - start.masterCpu[i]).toArray();
        return new RedisTierWindow(name, round, (end.nanos - start.nanos) / 1e9,
                minus(end.published, start.published), minus(end.frames, start.frames),
                end.publishNanos - start.publishNanos, end.errors - start.errors, masterCpu, replicaPids.size(),
                end.replicaCpu - start.replicaCpu, end.jvmCpu - start.jvmCpu, load);
    }

    /** Whether every message published on this deployment reached both buses once, each room's in seq order. */
    boolean exact() {
        return receivers.stream().allMatch(r -> r.frames.sum() == total() && r.gaps.sum() == 0
                && r.backwards.sum() == 0 && r.resubscribed.sum() == 0) && errors.sum() == 0 && repeated.sum() == 0;
    }

    /** What was published and what each bus received, over the whole benchmark. */
    String deliveries() {
        StringBuilder text = new StringBuilder(String.format("%s: %,d messages published (%,d repeats of a cid, "
                + "%,d errors)", name, total(), repeated.sum(), errors.sum()));
        for (int i = 0; i < receivers.size(); i++) {
            Receiver r = receivers.get(i);
            text.append(String.format("; node %c received %,d (shortfall %,d), %,d seq gaps, %,d steps back, "
                            + "%,d resubscriptions", 'A' + i, r.frames.sum(), total() - r.frames.sum(), r.gaps.sum(),
                    r.backwards.sum(), r.resubscribed.sum()));
        }
        RuntimeException error = firstError.get();
        return error == null ? text.toString() : text + "; first error: " + error;
    }

    @Override
    public void close() {
        buses.forEach(RedisRoomBus::close);
        stopServers.run();
    }

    /** CPU seconds (user and system) of a process so far, from {@code /proc/<pid>/stat} through the JDK. */
    private static double cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("the CPU time of pid " + pid + " is not known"))
                .toNanos() / 1e9;
    }

    private static long[] sums(LongAdder[] adders) {
        return Arrays.stream(adders).mapToLong(LongAdder::sum).toArray();
    }

    private static long[] minus(long[] a, long[] b) {
        return IntStream.range(0, a.length).mapToLong(i -> a[i] - b[i]).toArray();
    }

    /** The counters and CPU times at one moment. */
    record Snapshot(long nanos, long[] published, long[] frames, long publishNanos, long errors, double[] masterCpu,
                    double replicaCpu, double jvmCpu) {
    }

    /**
     * A node's subscriber: counts the message frames it receives and checks that each room's seq goes up by one
     * from frame to frame, which only the benchmark's publishes move. A room's frames come from one thread.
     */
    private static final class Receiver implements BusListener {
        final LongAdder frames = new LongAdder();
        final LongAdder gaps = new LongAdder();
        final LongAdder backwards = new LongAdder();
        final LongAdder resubscribed = new LongAdder();
        private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

        @Override
        public void onFrame(String channel, BusFrame frame) {
            if (!"message".equals(frame.kind())) {
                return;
            }
            frames.increment();
            Long previous = lastSeq.put(channel, frame.seq());
            if (previous != null && frame.seq() > previous + 1) {
                gaps.add(frame.seq() - previous - 1);
            } else if (previous != null && frame.seq() <= previous) {
                backwards.increment();
            }
        }

        @Override
        public void onResubscribed(Set<String> channels) {
            resubscribed.add(channels.size());
        }
    }
}
