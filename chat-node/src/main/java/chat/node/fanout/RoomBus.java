package chat.node.fanout;

import chat.common.ChatMessage;
import chat.common.MessageChange;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The pub/sub engine behind the node: orders and publishes room events and holds the subscriptions that bring
 * other nodes' events here.
 */
public interface RoomBus extends AutoCloseable {

    /** Starts the subscriptions, which deliver to {@code listener} from now on; called once, before the rest. */
    void start(BusListener listener);

    /**
     * Assigns the room's next {@code seq} to {@code draft}, keeps it in the room's recent buffer and publishes it
     * on {@code channels}, all atomically, so every subscriber sees a room's messages in {@code seq} order. When
     * {@code cid} is not null and the same sender already sent that {@code cid}, nothing is published and the
     * earlier message is returned.
     */
    Sequenced publishMessage(String kind, ChatMessage draft, List<String> channels, String traceparent);

    /**
     * Publishes an edit or a deletion as {@link #publishMessage} publishes a message: the change takes the room's
     * next {@code seq}, enters the recent buffer (as an entry of {@code kind} that names its message's seq) and
     * becomes the message's current version, all atomically, so every subscriber sees it after the message and in
     * seq order with the rest. Nothing is published when the message is deleted already, or when {@code cid} is not
     * null and the same editor already sent it.
     */
    ChangeOutcome publishChange(String kind, MessageChange draft, String cid, List<String> channels,
                                String traceparent);

    /**
     * The room's changed messages among {@code messageSeqs} as they now stand (client form), by message seq, for
     * the latest changes of the room (as many as its recent buffer holds entries); absent: unchanged, or changed
     * long enough ago that only the archive knows.
     */
    Map<Long, String> versions(String room, Collection<Long> messageSeqs);

    /**
     * The message with this id among the room's recent-buffer messages, as first sent; null when the buffer does not
     * hold it. Reads the buffer newest first.
     */
    Recent findRecent(String room, String id);

    /** Publishes an event that carries no sequence number (typing, presence, announce). */
    void publish(String channel, BusFrame frame);

    /**
     * Marks this node as having (or no longer having) {@code user} in the room, and publishes {@code frame} on the
     * room's channel when the user's first node arrives or the last one leaves (null frame: stay silent).
     * Idempotent per node. Returns whether it published.
     */
    boolean presence(String room, String user, boolean joined, BusFrame frame);

    /**
     * Renews this node's liveness for {@code ttl}; nodes that stop renewing are swept by the others.
     *
     * @return true when this node had been given up for dead (its presence was swept) and must announce its
     *         members again
     */
    boolean heartbeat(Duration ttl);

    /** Nodes that announced themselves alive and then let their liveness expire without retiring. */
    List<String> deadNodes();

    /**
     * Takes a dead node out of every room's presence, publishing the frame {@code leave} makes for each user it
     * was the last node of, and forgets the node. Safe to run on several nodes at once.
     *
     * @return how many users left a room
     */
    int sweep(String deadNode, BiFunction<String, String, BusFrame> leave);

    /**
     * Ends this node's liveness on a clean shutdown: whoever is still in a room through this node leaves it, as in
     * {@link #sweep}, and the node is forgotten.
     */
    void retire(BiFunction<String, String, BusFrame> leave);

    /** Subscribes to a channel; completes once Redis confirms, so nothing published after that is missed. */
    CompletableFuture<Void> subscribe(String channel);

    void unsubscribe(String channel);

    /**
     * Lifts the room's counter so that the next message gets a seq above {@code atLeast}: after a failover, no seq
     * this node already delivered is handed out again. A room without a counter is left alone.
     */
    void raiseSeq(String room, long atLeast);

    /** The room's latest assigned sequence number, 0 when the room has none. */
    long latestSeq(String room);

    /**
     * The value the room's counter started from in this Redis: every message this Redis has seen for the room has
     * a higher {@code seq}; older ones (before Redis lost its data) can only be in the archive. 0 when unknown.
     */
    long sequenceBase(String room);

    /** Entries of the room's recent buffer (messages and changes) with {@code seq > after}, ascending, at most {@code limit}. */
    List<Recent> recentAfter(String room, long after, int limit);

    /**
     * Messages of the room's recent buffer with {@code seq < before} (all when null), newest first, at most
     * {@code limit}, as first sent; changes are left out.
     */
    List<Recent> recentBefore(String room, Long before, int limit);

    /** Whether the node currently has a working Redis connection. */
    boolean connected();

    @Override
    void close();

    /**
     * One entry of a room's recent buffer: a message, or a change of one.
     *
     * @param seq        sequence number
     * @param json       message as clients receive it; for a change, the changed message as it stood after it
     * @param change     the event kind of a change, null for a message
     * @param messageSeq the seq of the message: {@code seq} itself, or the one a change changed
     */
    record Recent(long seq, String json, String change, long messageSeq) {
        public Recent(long seq, String json) {
            this(seq, json, null, seq);
        }

        public boolean isChange() {
            return change != null;
        }
    }
}
