package chat.stack;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import chat.stack.ClusterFormation.Shard;
import chat.stack.ClusterTopology.Member;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of local {@code redis-server} processes on free ports, without persistence: masters that share
 * the 16384 slots evenly, each followed by its replicas. A node can be killed as in a crash, and the cluster
 * awaited until Redis has promoted a replica and every slot is served again. The nodes are stopped on close, or
 * when the JVM exits without it.
 */
public final class RedisCluster implements AutoCloseable {

    /**
     * Short enough that a failover takes a few seconds in a test, long enough that a node the busy two-core
     * machine stalls for a moment is not taken for failed.
     */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(1500);

    private static final System.Logger LOG = System.getLogger(RedisCluster.class.getName());
    private static final Duration FORMATION = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    private final List<RedisServer> nodes;
    private final Thread closeOnExit = new Thread(this::close, "redis-cluster-shutdown");
    private long lastKillNanos;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
        Runtime.getRuntime().addShutdownHook(closeOnExit);
    }

    /** Starts three masters with one replica each and the {@link #DEFAULT_NODE_TIMEOUT}. */
    public static RedisCluster start(Path dir) {
        return start(dir, 3, 1, DEFAULT_NODE_TIMEOUT);
    }

    /**
     * Starts the nodes on free ports, forms the cluster, and returns once every node reports it whole: all slots
     * served, each replica attached to its master.
     *
     * @param dir               folder with one data folder a node, {@code node-1} to {@code node-n}; masters first
     * @param masters           how many masters share the slots; a failover needs a majority of them, so at least 3
     * @param replicasPerMaster how many replicas follow each master
     * @param nodeTimeout       how long a node may not answer before the others take it for failed
     */
    public static RedisCluster start(Path dir, int masters, int replicasPerMaster, Duration nodeTimeout) {
        if (masters < 1 || replicasPerMaster < 0) {
            throw new IllegalArgumentException("Needs a master or more and no negative number of replicas, not "
                    + masters + " and " + replicasPerMaster);
        }
        long startNanos = System.nanoTime();
        int count = masters * (1 + replicasPerMaster);
        List<Integer> ports = TcpPort.freeWithOffset(count, RedisServer.CLUSTER_BUS_OFFSET);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Path dataDir = dir.toAbsolutePath().resolve("node-" + (i + 1));
                nodes.add(RedisServer.startClusterNode(dataDir, ports.get(i), nodeTimeout));
            }
            new ClusterFormation(shards(nodes, masters, replicasPerMaster)).form(Deadline.after(FORMATION));
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::kill);
            throw e;
        }
        RedisCluster cluster = new RedisCluster(nodes);
        long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        LOG.log(Level.INFO, "Redis Cluster of {0} masters, {1} replicas per master, formed in {2} ms on {3}",
                masters, replicasPerMaster, Long.toString(millis), cluster.seeds());
        return cluster;
    }

    /** Every node, live or not, as {@code 127.0.0.1:port,127.0.0.1:port,...}: what a cluster client starts from. */
    public String seeds() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The ports of all nodes, live or not, masters as started first. */
    public List<Integer> ports() {
        return nodes.stream().map(RedisServer::port).toList();
    }

    /** The process ids of the live nodes. */
    public List<Long> pids() {
        return live().stream().map(RedisServer::pid).toList();
    }

    /** The ports of the live masters that serve slots, as the first live node sees them. */
    public List<Integer> masterPorts() {
        List<Integer> livePorts = live().stream().map(RedisServer::port).toList();
        return topology().servingMasters().stream().map(Member::port).filter(livePorts::contains).sorted().toList();
    }

    /**
     * The port of the master that serves the slot of {@code key}, as the first live node sees it.
     *
     * @throws IllegalStateException when that master is not live: a failover is under way, see {@link #awaitHealthy}
     */
    public int masterPortOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        int port = topology().ownerOf(slot)
                .orElseThrow(() -> new IllegalStateException("No master serves slot " + slot + " of " + key))
                .port();
        if (live().stream().noneMatch(node -> node.port() == port)) {
            throw new IllegalStateException("Slot " + slot + " of " + key + " is still served by " + port
                    + ", which is not live; await the failover first");
        }
        return port;
    }

    /**
     * Moves the slot of {@code key}, with its keys, to the master on {@code toPort}, the way {@code redis-cli
     * --cluster reshard} does: importing and migrating states, {@code MIGRATE} of every key, then the new owner
     * announced to every master. Clients of the old owner get {@code -MOVED} from then on, and its shard-channel
     * subscribers a {@code SUNSUBSCRIBE} for the slot's channels.
     *
     * @return the slot moved
     */
    public synchronized int migrateSlotOf(String key, int toPort) {
        int slot = JedisClusterCRC16.getSlot(key);
        int fromPort = masterPortOf(key);
        if (fromPort == toPort) {
            throw new IllegalArgumentException("Slot " + slot + " of " + key + " is on " + toPort + " already");
        }
        RedisServer from = node(fromPort);
        RedisServer to = node(toPort);
        try (Jedis source = from.connect(); Jedis target = to.connect()) {
            String sourceId = source.clusterMyId();
            String targetId = target.clusterMyId();
            target.clusterSetSlotImporting(slot, sourceId);
            source.clusterSetSlotMigrating(slot, targetId);
            List<String> keys;
            while (!(keys = source.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                source.migrate("127.0.0.1", toPort, 0, 5000,
                        redis.clients.jedis.params.MigrateParams.migrateParams(), keys.toArray(String[]::new));
            }
            target.clusterSetSlotNode(slot, targetId);
            source.clusterSetSlotNode(slot, targetId);
            for (int port : masterPorts()) {
                if (port != fromPort && port != toPort) {
                    try (Jedis other = node(port).connect()) {
                        other.clusterSetSlotNode(slot, targetId);
                    }
                }
            }
        }
        LOG.log(Level.INFO, "Redis Cluster slot {0} moved from {1} to {2}", slot, fromPort, toPort);
        return slot;
    }

    private RedisServer node(int port) {
        return nodes.stream()
                .filter(candidate -> candidate.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node of the cluster on port " + port));
    }

    /** Kills the node (SIGKILL), as a crash would; its data is gone, and a replica takes over if it was a master. */
    public synchronized void kill(int port) {
        node(port).kill();
        lastKillNanos = System.nanoTime();
    }

    /**
     * Waits until every live node reports {@code cluster_state:ok} and sees every slot served by a live master.
     *
     * @return how long it took since the last {@link #kill} not awaited yet, or else since this call
     * @throws IllegalStateException if that has not happened within the timeout
     */
    public Duration awaitHealthy(Duration timeout) {
        long since = takeKillTime();
        Deadline.after(timeout).await("A Redis Cluster serving every slot", POLL,
                () -> ClusterHealth.notServing(live()));
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** Stops every node (SIGTERM), each waited for until its process is gone. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::stop);
        if (Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException e) {
                LOG.log(Level.DEBUG, "JVM already shutting down; the hook will find the nodes stopped");
            }
        }
    }

    private synchronized long takeKillTime() {
        long since = lastKillNanos != 0 ? lastKillNanos : System.nanoTime();
        lastKillNanos = 0;
        return since;
    }

    private List<RedisServer> live() {
        return nodes.stream().filter(RedisServer::isRunning).toList();
    }

    private ClusterTopology topology() {
        for (RedisServer node : live()) {
            try (Jedis jedis = node.connect()) {
                return ClusterTopology.parse(jedis.clusterNodes());
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "Redis on " + node.port() + " did not answer CLUSTER NODES; asking the next", e);
            }
        }
        throw new IllegalStateException("No live node of the cluster " + seeds() + " answers");
    }

    /** Masters first, then the replicas of the first master, then those of the second, and so on. */
    private static List<Shard> shards(List<RedisServer> nodes, int masters, int replicasPerMaster) {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < masters; i++) {
            int firstReplica = masters + i * replicasPerMaster;
            shards.add(new Shard(nodes.get(i), nodes.subList(firstReplica, firstReplica + replicasPerMaster)));
        }
        return shards;
    }
}
