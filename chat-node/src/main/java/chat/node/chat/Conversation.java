package chat.node.chat;

/**
 * What a node delivered of one direct conversation to one user's sockets. On a Redis Cluster a direct message
 * reaches the users' channels after its seq was assigned, not atomically with it, so two messages sent at once from
 * two nodes can arrive swapped; this puts them back in seq order.
 */
final class Conversation {
    private long floor = -1;
    private long last = -1;

    /**
     * Where a message of {@code seq} goes, and marks it delivered when it is to be.
     *
     * @return {@link Step#SKIP} for a seq already delivered; otherwise deliver it, after reading the bus for the
     *         messages after {@link Step#fillAfter()} that are still on their way when that is below {@code seq - 1}
     */
    synchronized Step place(long seq) {
        if (last < 0) {
            floor = seq;
            last = seq;
            return new Step(true, seq - 1);
        }
        if (seq < floor) {
            // Sent before the first one this node saw of the conversation and overtaken by it: late, not lost.
            return new Step(true, seq - 1);
        }
        if (seq <= last) {
            return Step.SKIP;
        }
        long after = last;
        last = seq;
        return new Step(true, after);
    }

    /**
     * @param deliver   whether to deliver the message
     * @param fillAfter the seq after which the messages before this one must be delivered first
     */
    record Step(boolean deliver, long fillAfter) {
        static final Step SKIP = new Step(false, 0);
    }
}
