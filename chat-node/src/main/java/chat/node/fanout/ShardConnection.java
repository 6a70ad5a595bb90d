package chat.node.fanout;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisShardedPubSub;

import java.util.HashSet;
import java.util.Set;

/**
 * One subscriber connection to one master of a Redis Cluster, {@code SSUBSCRIBE}d to the channels of its slots
 * that the node wants. Its thread reads frames in publish order. It ends when it has no channel left, and reports
 * its channels lost when the connection breaks; {@link ShardedSubscription} places them again.
 */
final class ShardConnection {
    private static final System.Logger LOG = System.getLogger(ShardConnection.class.getName());

    private final HostAndPort node;
    private final JedisClientConfig config;
    private final ShardedSubscription owner;
    /** Guarded by the owner's lock. */
    private final Set<String> channels = new HashSet<>();
    /** Channels that were subscribed elsewhere before and must be caught up once confirmed here; owner's lock. */
    private final Set<String> recovering = new HashSet<>();
    private Thread thread;
    private volatile Listener active;
    private volatile Connection connection;

    ShardConnection(HostAndPort node, JedisClientConfig config, ShardedSubscription owner) {
        this.node = node;
        this.config = config;
        this.owner = owner;
    }

    HostAndPort node() {
        return node;
    }

    boolean ready() {
        Listener current = active;
        return current != null && current.ready;
    }

    /** Under the owner's lock. */
    void add(String channel, boolean recover) {
        channels.add(channel);
        if (recover) {
            recovering.add(channel);
        }
        if (thread == null) {
            thread = Thread.ofPlatform().name("redis-shard-" + node).daemon().start(this::run);
            return;
        }
        Listener current = active;
        if (current != null && current.ready) {
            sendQuietly(() -> current.ssubscribe(channel));
        }
    }

    /** Under the owner's lock. */
    void remove(String channel) {
        channels.remove(channel);
        recovering.remove(channel);
        Listener current = active;
        if (current != null && current.ready) {
            sendQuietly(() -> current.sunsubscribe(channel));
        }
    }

    private void run() {
        while (owner.running()) {
            String[] initial;
            owner.lock.lock();
            try {
                if (channels.isEmpty()) {
                    thread = null;
                    owner.retired(this);
                    return;
                }
                // Redis refuses an SSUBSCRIBE of channels in different slots (CROSSSLOT): one channel opens the
                // connection, and the listener subscribes the others one by one once Redis confirmed it.
                initial = new String[] {channels.iterator().next()};
            } finally {
                owner.lock.unlock();
            }
            Listener listener = new Listener(Set.of(initial));
            try (Connection opened = new Connection(node, config)) {
                connection = opened;
                active = listener;
                listener.proceed(opened, initial);
            } catch (RuntimeException e) {
                active = null;
                if (owner.running()) {
                    LOG.log(System.Logger.Level.WARNING, "Redis Cluster subscription to " + node + " lost ("
                            + e.getMessage() + ")");
                }
                Set<String> lost;
                owner.lock.lock();
                try {
                    lost = Set.copyOf(channels);
                    channels.clear();
                    recovering.clear();
                    thread = null;
                } finally {
                    owner.lock.unlock();
                }
                owner.lost(this, lost);
                return;
            } finally {
                connection = null;
            }
            // Every channel was unsubscribed; any added meanwhile get a new connection.
            active = null;
        }
    }

    private static void sendQuietly(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            // The connection is broken; its thread reports the channels lost and they are placed again.
            LOG.log(System.Logger.Level.DEBUG, "shard subscription command not sent: " + e.getMessage());
        }
    }

    void close() {
        Connection open = connection;
        if (open != null) {
            sendQuietly(open::close);
        }
    }

    private final class Listener extends JedisShardedPubSub {
        private final Set<String> initial;
        private volatile boolean ready;

        Listener(Set<String> initial) {
            this.initial = initial;
        }

        @Override
        public void onSSubscribe(String channel, int subscribedChannels) {
            boolean recovered;
            owner.lock.lock();
            try {
                if (!ready && subscribedChannels >= initial.size()) {
                    becomeReady();
                }
                recovered = recovering.remove(channel);
            } finally {
                owner.lock.unlock();
            }
            owner.confirmed(channel, recovered);
        }

        /** The first batch is confirmed: subscribe what was added since and drop what was removed since. */
        private void becomeReady() {
            ready = true;
            for (String channel : channels) {
                if (!initial.contains(channel)) {
                    ssubscribe(channel);
                }
            }
            for (String channel : initial) {
                if (!channels.contains(channel)) {
                    sunsubscribe(channel);
                }
            }
        }

        @Override
        public void onSMessage(String channel, String message) {
            owner.deliver(channel, message);
        }

        @Override
        public void onSUnsubscribe(String channel, int subscribedChannels) {
            boolean unasked;
            owner.lock.lock();
            try {
                unasked = channels.remove(channel);
            } finally {
                owner.lock.unlock();
            }
            if (unasked) {
                LOG.log(System.Logger.Level.INFO, "Redis moved the slot of " + channel + " away from " + node);
                owner.moved(ShardConnection.this, channel);
            }
        }
    }
}
