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
     * Sets how many sockets this node has of {@code user} in the room (0: none), and publishes {@code frame} on the
     * room's channel when that makes the user present on a first node or absent from the last one (null frame: stay
     * silent). The room's list of present users changes in the same step. Idempotent per node. Returns whether it
     * published.
     */
    boolean presence(String room, String user, int sockets, BusFrame frame);

    /**
     * A page of the users present in the room across all nodes, ascending by id: those after {@code after} (from
     * the first when null), at most {@code limit}.
     */
    OnlinePage online(String room, String after, int limit);

    /** How many users are present in each of the rooms across all nodes. */
    Map<String, Long> onlineCounts(Collection<String> rooms);

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

    /**
     * Raises the user's read marker of the room to {@code seq}; a marker never moves back. When it moved, publishes
     * {@code frameBefore + marker + frameAfter} on {@code channels}, on those in the user's slot atomically with the
     * move, so that the user's channel carries the user's markers in the order they rose.
     */
    Marker raiseReadMarker(String user, String room, long seq, List<String> channels, String frameBefore,
                           String frameAfter);

    /** The user's read markers of the rooms, and whether the archive's markers of the user were merged in. */
    UserMarkers readMarkers(String user, List<String> rooms);

    /** Merges markers of the user (the archive's) in, none moving one back, and notes that the archive's are in. */
    void loadReadMarkers(String user, Map<String, Long> markers);

    /** Whether the node currently has a working Redis connection. */
    boolean connected();

    @Override
    void close();

    /**
     * A page of a room's present users.
     *
     * @param users each user with their sockets over all nodes, ascending by user id
     * @param more  whether users come after the last one of the page
     * @param count how many users are present in the room
     */
    record OnlinePage(List<Online> users, boolean more, long count) {
    }

    /**
     * A user present in a room.
     *
     * @param user    user id
     * @param sockets the user's sockets in the room over all nodes
     */
    record Online(String user, int sockets) {
    }

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

    /**
     * A read marker after {@link #raiseReadMarker}.
     *
     * @param seq   the marker now: the highest seq the user has read in the room, 0 when none
     * @param moved whether this call raised it
     */
    record Marker(long seq, boolean moved) {
    }

    /**
     * Some of a user's read markers.
     *
     * @param seqs   the marker of each room asked for, 0 where the user has none
     * @param loaded false when the archive's markers of the user are not merged in: Redis lost them, let them expire
     *               unused, or has not been given them yet
     */
    record UserMarkers(Map<String, Long> seqs, boolean loaded) {
    }
}
