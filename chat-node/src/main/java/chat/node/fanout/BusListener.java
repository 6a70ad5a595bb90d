package chat.node.fanout;

/**
 * Receives what the node's Redis subscription delivers, on the subscriber thread, in publish order.
 */
public interface BusListener {
    /** A frame arrived on {@code channel}. */
    void onFrame(String channel, BusFrame frame);

    /** The subscription was re-established after Redis was unreachable; shared state may have been lost. */
    void onReconnected();
}
