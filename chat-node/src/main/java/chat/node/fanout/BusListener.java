package chat.node.fanout;

import java.util.Set;

/**
 * Receives what the node's Redis subscriptions deliver, in publish order per channel: on one subscriber thread
 * for one Redis, on a thread per shard for a cluster (so a room's frames always come from one thread at a time).
 */
public interface BusListener {
    /** A frame arrived on {@code channel}. */
    void onFrame(String channel, BusFrame frame);

    /**
     * {@code channels} are subscribed again after their Redis server was unreachable or failed over: what was
     * published meanwhile was missed, and shared state may have been lost. Called on the thread that delivers
     * their frames, before any frame of the new subscription.
     */
    void onResubscribed(Set<String> channels);
}
