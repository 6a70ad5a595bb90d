package chat.node.fanout;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's subscriptions on a Redis Cluster: one {@link ShardConnection} per master that owns a wanted channel,
 * {@code SSUBSCRIBE}d to the channels in its slots. When a shard's connection breaks (its master failed) or Redis
 * moves a slot away (a {@code SUNSUBSCRIBE} the node did not ask for), the slot map is read again and the channels
 * are subscribed where they live now, then caught up from the recent buffer, as after a Redis restart.
 */
final class ShardedSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(ShardedSubscription.class.getName());
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final ClusterConnectionProvider cluster;
    private final JedisClientConfig config;
    private final BusListener listener;
    final ReentrantLock lock = new ReentrantLock();
    private final Set<String> wanted = new HashSet<>();
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private final Map<HostAndPort, ShardConnection> shards = new HashMap<>();
    private final Map<String, ShardConnection> homes = new HashMap<>();
    /** Wanted channels without a live shard, waiting for the next repair. */
    private final Set<String> orphans = new HashSet<>();
    private final ScheduledExecutorService repairs = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("redis-cluster-repair").daemon().factory());
    private volatile boolean running = true;
    private Duration backoff = MIN_BACKOFF;
    private boolean repairScheduled;

    ShardedSubscription(ClusterConnectionProvider cluster, JedisClientConfig config, BusListener listener) {
        this.cluster = cluster;
        this.config = config;
        this.listener = listener;
        subscribe(Channels.BROADCAST);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        lock.lock();
        try {
            if (!wanted.add(channel)) {
                CompletableFuture<Void> pending = confirmations.get(channel);
                return pending == null ? CompletableFuture.completedFuture(null) : pending;
            }
            CompletableFuture<Void> confirmation = new CompletableFuture<>();
            confirmations.put(channel, confirmation);
            place(channel, false);
            return confirmation;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unsubscribe(String channel) {
        lock.lock();
        try {
            if (!wanted.remove(channel)) {
                return;
            }
            CompletableFuture<Void> pending = confirmations.remove(channel);
            if (pending != null) {
                pending.cancel(false);
            }
            orphans.remove(channel);
            ShardConnection home = homes.remove(channel);
            if (home != null) {
                home.remove(channel);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean connected() {
        lock.lock();
        try {
            return orphans.isEmpty() && !shards.isEmpty() && shards.values().stream().allMatch(ShardConnection::ready);
        } finally {
            lock.unlock();
        }
    }

    /** Subscribes {@code channel} on the master the slot map names for it; under the lock. */
    private void place(String channel, boolean recovering) {
        HostAndPort owner = cluster.getNode(JedisClusterCRC16.getSlot(channel));
        if (owner == null) {
            orphans.add(channel);
            scheduleRepair();
            return;
        }
        ShardConnection shard = shards.computeIfAbsent(owner, node -> new ShardConnection(node, config, this));
        homes.put(channel, shard);
        shard.add(channel, recovering);
    }

    /** Redis confirmed {@code channel} on a shard; called on that shard's thread. */
    void confirmed(String channel, boolean recovered) {
        CompletableFuture<Void> confirmation = confirmations.remove(channel);
        if (confirmation != null) {
            confirmation.complete(null);
        }
        lock.lock();
        try {
            backoff = MIN_BACKOFF;
        } finally {
            lock.unlock();
        }
        if (recovered) {
            LOG.log(System.Logger.Level.INFO, "Redis Cluster subscription re-established on " + channel);
            listener.onResubscribed(Set.of(channel));
        }
    }

    void deliver(String channel, String message) {
        FrameDispatch.deliver(listener, channel, message);
    }

    /** A shard's connection ended with its channels in {@code lost}; they are placed again by a repair. */
    void lost(ShardConnection shard, Set<String> lost) {
        lock.lock();
        try {
            if (shards.get(shard.node()) == shard) {
                shards.remove(shard.node());
            }
            for (String channel : lost) {
                if (wanted.contains(channel) && homes.get(channel) == shard) {
                    homes.remove(channel);
                    orphans.add(channel);
                }
            }
            scheduleRepair();
        } finally {
            lock.unlock();
        }
    }

    /** Redis moved {@code channel}'s slot to another shard; the channel is placed again by a repair. */
    void moved(ShardConnection shard, String channel) {
        lock.lock();
        try {
            if (wanted.contains(channel) && homes.get(channel) == shard) {
                homes.remove(channel);
                orphans.add(channel);
                scheduleRepair();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A shard ended because none of its channels is wanted any more. */
    void retired(ShardConnection shard) {
        if (shards.get(shard.node()) == shard) {
            shards.remove(shard.node());
        }
    }

    private void scheduleRepair() {
        if (repairScheduled || !running) {
            return;
        }
        repairScheduled = true;
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        repairs.schedule(this::repair, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the slot map again and places every orphaned channel where its slot lives now. */
    private void repair() {
        boolean renewed;
        try {
            cluster.renewSlotCache();
            renewed = true;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis Cluster slot map not readable (" + e.getMessage()
                    + "), retrying");
            renewed = false;
        }
        lock.lock();
        try {
            repairScheduled = false;
            if (!running) {
                return;
            }
            if (!renewed) {
                scheduleRepair();
                return;
            }
            List<String> placing = new ArrayList<>(orphans);
            orphans.clear();
            for (String channel : placing) {
                place(channel, true);
            }
        } finally {
            lock.unlock();
        }
    }

    boolean running() {
        return running;
    }

    @Override
    public void close() {
        List<ShardConnection> open;
        lock.lock();
        try {
            running = false;
            open = new ArrayList<>(shards.values());
            shards.clear();
        } finally {
            lock.unlock();
        }
        repairs.shutdownNow();
        open.forEach(ShardConnection::close);
    }
}
