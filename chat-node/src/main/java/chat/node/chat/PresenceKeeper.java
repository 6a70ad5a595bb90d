package chat.node.chat;

import chat.node.fanout.RoomBus;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps room presence true when nodes crash: renews this node's liveness every third of its time to live, and
 * takes the users of nodes whose liveness expired out of their rooms, with the leave events nobody else would
 * send. A user on a crashed node is announced gone within the time to live plus one renewal period.
 */
public final class PresenceKeeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PresenceKeeper.class.getName());

    private final RoomBus bus;
    private final Presence presence;
    private final Duration ttl;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("presence-keeper").daemon().factory());

    /**
     * @param ttl how long this node counts as alive after a renewal; the bound on how long a crashed node's users
     *            stay present
     */
    public PresenceKeeper(RoomBus bus, Presence presence, Duration ttl) {
        this.bus = bus;
        this.presence = presence;
        this.ttl = ttl;
    }

    /** Announces this node alive now and every third of the time to live. */
    public PresenceKeeper start() {
        long period = Math.max(1, ttl.toMillis() / 3);
        scheduler.scheduleAtFixedRate(this::renewAndSweep, 0, period, TimeUnit.MILLISECONDS);
        return this;
    }

    void renewAndSweep() {
        try {
            if (bus.heartbeat(ttl)) {
                LOG.log(System.Logger.Level.WARNING, "this node had been given up for dead; announcing its members "
                        + "again");
                presence.register(room -> true, true);
            }
            for (String dead : bus.deadNodes()) {
                int left = bus.sweep(dead, (room, user) -> presence.frame(room, user, "leave"));
                LOG.log(System.Logger.Level.INFO, "node " + dead + " is gone: " + left + " users left their rooms");
            }
        } catch (RuntimeException e) {
            // Redis is unreachable: the next period tries again, and the subscription's reconnect resyncs presence.
            LOG.log(System.Logger.Level.WARNING, "presence upkeep failed: " + e.getMessage());
        }
    }

    /** Stops renewing and retires the node: whoever is still present through it leaves now. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            bus.retire((room, user) -> presence.frame(room, user, "leave"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retiring this node's presence failed; the others will sweep it "
                    + "within " + ttl.toSeconds() + " s: " + e.getMessage());
        }
    }
}
