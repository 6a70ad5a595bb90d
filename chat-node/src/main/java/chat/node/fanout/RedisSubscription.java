package chat.node.fanout;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's one Redis subscriber connection. Channels are added and removed while it runs; when Redis goes away
 * it reconnects with exponential backoff and subscribes again to every channel still wanted.
 */
final class RedisSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(RedisSubscription.class.getName());
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

    private final HostAndPort server;
    private final DefaultJedisClientConfig clientConfig;
    private final BusListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<String> wanted = new HashSet<>();
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Jedis connection;
    private volatile Listener active;
    private volatile boolean everConnected;

    RedisSubscription(HostAndPort server, DefaultJedisClientConfig clientConfig, BusListener listener) {
        this.server = server;
        this.clientConfig = clientConfig;
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("redis-subscriber").daemon().start(this::run);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        lock.lock();
        try {
            CompletableFuture<Void> pending = confirmations.get(channel);
            if (wanted.contains(channel)) {
                return pending == null ? CompletableFuture.completedFuture(null) : pending;
            }
            wanted.add(channel);
            CompletableFuture<Void> confirmation = new CompletableFuture<>();
            confirmations.put(channel, confirmation);
            Listener current = active;
            if (current != null && current.ready) {
                sendQuietly(() -> current.subscribe(channel));
            }
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
            Listener current = active;
            if (current != null && current.ready) {
                sendQuietly(() -> current.unsubscribe(channel));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean connected() {
        Listener current = active;
        return current != null && current.ready;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            Listener pubSub = new Listener();
            try (Jedis jedis = new Jedis(server, clientConfig)) {
                connection = jedis;
                active = pubSub;
                jedis.subscribe(pubSub, Channels.BROADCAST);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "Redis subscription lost (" + e.getMessage()
                            + "), reconnecting in " + backoff.toMillis() + " ms");
                }
            } finally {
                active = null;
                connection = null;
            }
            if (pubSub.ready) {
                backoff = MIN_BACKOFF;
            }
            if (running) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sendQuietly(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            // The connection is broken; the subscriber loop reconnects and subscribes to every wanted channel.
            LOG.log(System.Logger.Level.DEBUG, "subscription command not sent: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        Listener current = active;
        if (current != null && current.ready) {
            sendQuietly(current::unsubscribe);
        }
        Jedis jedis = connection;
        if (jedis != null) {
            sendQuietly(jedis::close);
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener extends JedisPubSub {
        private volatile boolean ready;

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (Channels.BROADCAST.equals(channel) && !ready) {
                onConnected();
                return;
            }
            CompletableFuture<Void> confirmation = confirmations.remove(channel);
            if (confirmation != null) {
                confirmation.complete(null);
            }
        }

        /** First confirmation on a new connection: subscribe everything wanted, under the lock so none is missed. */
        private void onConnected() {
            Set<String> resubscribed;
            lock.lock();
            try {
                resubscribed = Set.copyOf(wanted);
                ready = true;
                if (!wanted.isEmpty()) {
                    for (String channel : wanted) {
                        confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
                    }
                    subscribe(wanted.toArray(String[]::new));
                }
            } finally {
                lock.unlock();
            }
            boolean reconnect = everConnected;
            everConnected = true;
            if (reconnect) {
                LOG.log(System.Logger.Level.INFO, "Redis subscription re-established on " + wanted.size()
                        + " channels");
                listener.onResubscribed(resubscribed);
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            FrameDispatch.deliver(listener, channel, message);
        }
    }
}
