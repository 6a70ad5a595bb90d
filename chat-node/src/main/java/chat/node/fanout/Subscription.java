package chat.node.fanout;

import java.util.concurrent.CompletableFuture;

/**
 * The node's subscriptions on Redis: channels come and go while it runs, and it survives Redis going away.
 */
interface Subscription extends AutoCloseable {

    /** Subscribes to a channel; completes once Redis confirms, so nothing published after that is missed. */
    CompletableFuture<Void> subscribe(String channel);

    void unsubscribe(String channel);

    /** Whether every channel the node wants is subscribed on a live connection. */
    boolean connected();

    @Override
    void close();
}
