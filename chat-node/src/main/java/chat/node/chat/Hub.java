package chat.node.chat;

import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which local clients are in which room and which belong to which user. It holds a Redis subscription on a room's
 * channel exactly while the room has a local member, and on a user's channel while the user has a local socket,
 * so a node receives nothing for rooms it does not serve.
 */
public final class Hub {
    private final RoomBus bus;
    private final int socketsPerUser;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Set<Client>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> users = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> subscriptions = new ConcurrentHashMap<>();
    /** Highest seq delivered per room with local members, to fill what a lost subscription missed and skip repeats. */
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();
    private final Set<Client> connected = ConcurrentHashMap.newKeySet();
    /** Direct conversations delivered per user with local sockets, to keep each in seq order. */
    private final Map<String, Map<String, Conversation>> conversations = new ConcurrentHashMap<>();

    /**
     * @param bus            where subscriptions are taken and dropped
     * @param socketsPerUser sockets one user may have on this node at once
     */
    public Hub(RoomBus bus, int socketsPerUser) {
        this.bus = bus;
        this.socketsPerUser = socketsPerUser;
    }

    /**
     * Adds a client to a room.
     *
     * @return when the node receives the room's events, and whether this is the user's first socket here
     */
    public Membership join(Client client, String room) {
        lock.lock();
        try {
            Set<Client> members = rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet());
            boolean firstOfUser = noneOfUser(members, client.user());
            if (!members.add(client)) {
                return new Membership(subscriptions.getOrDefault(room, CompletableFuture.completedFuture(null)),
                        false, false, false);
            }
            boolean firstOfRoom = members.size() == 1;
            CompletableFuture<Void> subscribed = firstOfRoom
                    ? subscriptions.compute(room, (r, old) -> bus.subscribe(Channels.room(r)))
                    : subscriptions.getOrDefault(room, CompletableFuture.completedFuture(null));
            return new Membership(subscribed, firstOfUser, true, firstOfRoom);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a client from a room.
     *
     * @return whether the client was in the room and was the user's last socket there
     */
    public boolean leave(Client client, String room) {
        lock.lock();
        try {
            Set<Client> members = rooms.get(room);
            if (members == null || !members.remove(client)) {
                return false;
            }
            if (members.isEmpty()) {
                rooms.remove(room);
                subscriptions.remove(room);
                bus.unsubscribe(Channels.room(room));
                delivered.remove(room);
            }
            return noneOfUser(members, client.user());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers a connected client under its user; completes when the user's direct messages reach this node.
     *
     * @throws ChatException {@code limit_exceeded} when the user already has as many sockets here as it may
     */
    public CompletableFuture<Void> connect(Client client) {
        lock.lock();
        try {
            Set<Client> sockets = users.computeIfAbsent(client.user(), u -> ConcurrentHashMap.newKeySet());
            if (sockets.size() >= socketsPerUser) {
                throw new ChatException(ErrorCode.LIMIT_EXCEEDED, "too many sockets of this user on this node");
            }
            sockets.add(client);
            connected.add(client);
            return sockets.size() == 1
                    ? bus.subscribe(Channels.user(client.user()))
                    : CompletableFuture.completedFuture(null);
        } finally {
            lock.unlock();
        }
    }

    public void disconnect(Client client) {
        lock.lock();
        try {
            connected.remove(client);
            Set<Client> sockets = users.get(client.user());
            if (sockets != null && sockets.remove(client) && sockets.isEmpty()) {
                users.remove(client.user());
                conversations.remove(client.user());
                bus.unsubscribe(Channels.user(client.user()));
            }
        } finally {
            lock.unlock();
        }
    }

    public Set<Client> inRoom(String room) {
        return rooms.getOrDefault(room, Set.of());
    }

    public Set<Client> ofUser(String user) {
        return users.getOrDefault(user, Set.of());
    }

    /** What this node delivered of a direct conversation to the user's sockets; null when none is here. */
    Conversation conversation(String user, String room) {
        if (!users.containsKey(user)) {
            return null;
        }
        return conversations.computeIfAbsent(user, u -> new ConcurrentHashMap<>())
                .computeIfAbsent(room, r -> new Conversation());
    }

    /** Every client that completed its CONNECT here and has not gone. */
    public Set<Client> connected() {
        return connected;
    }

    /**
     * Records that the room's frame {@code seq} is being delivered.
     *
     * @return false when a frame with this or a higher seq already was (a repeat after resubscribing)
     */
    public boolean firstDelivery(String room, long seq) {
        if (!rooms.containsKey(room)) {
            return true;
        }
        Long last = delivered.get(room);
        if (last != null && seq <= last) {
            return false;
        }
        delivered.put(room, seq);
        return true;
    }

    /**
     * Starts the room's watermark at the seq its first local member joined at, so that a subscription lost before
     * any frame arrived is still caught up from there; frames at or below it came before anyone here joined.
     */
    public void joinedAt(String room, long seq) {
        if (rooms.containsKey(room)) {
            delivered.merge(room, seq, Math::max);
        }
    }

    /** The highest seq delivered in each room with local members, for catching up after a lost subscription. */
    public Map<String, Long> deliveredUpTo() {
        return Map.copyOf(delivered);
    }

    /** Every (room, user) pair with a local member, for re-registering presence after Redis lost its data. */
    public List<Map.Entry<String, String>> presentUsers() {
        return rooms.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(c -> Map.entry(e.getKey(), c.user())))
                .distinct()
                .toList();
    }

    /** How many sockets of {@code user} are in the room on this node. */
    public int socketsIn(String room, String user) {
        int sockets = 0;
        for (Client member : inRoom(room)) {
            if (member.user().equals(user)) {
                sockets++;
            }
        }
        return sockets;
    }

    public int localRooms() {
        return rooms.size();
    }

    public boolean hasRoom(String room) {
        return rooms.containsKey(room);
    }

    private static boolean noneOfUser(Set<Client> members, String user) {
        for (Client member : members) {
            if (member.user().equals(user)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Result of a join.
     *
     * @param subscribed  completes when the room's events reach this node
     * @param firstOfUser whether this is the user's first socket in the room on this node
     * @param added       false when the client already was a member
     * @param firstOfRoom whether this join subscribed the node to the room
     */
    public record Membership(CompletableFuture<Void> subscribed, boolean firstOfUser, boolean added,
                             boolean firstOfRoom) {
    }
}
