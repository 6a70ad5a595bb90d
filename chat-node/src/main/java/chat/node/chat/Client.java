package chat.node.chat;

import chat.node.auth.Identity;
import chat.node.socketio.Ack;
import chat.node.socketio.Admission;
import chat.node.socketio.Connection;
import chat.node.socketio.SocketHandler;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connected chat user's state: identity, joined rooms and rate limits. What it does with events is
 * {@link ChatEvents}' and {@link Lobby}'s; which transport carries it is its {@link Connection}'s.
 */
public final class Client implements SocketHandler {
    private final Connection connection;
    private final Lobby lobby;
    private final ChatEvents events;
    private final Map<String, RoomFeed> rooms = new ConcurrentHashMap<>();
    private final RateLimiter messageLimit;
    private final RateLimiter eventLimit;
    private final RateLimiter typingLimit;
    private final int roomsPerSocket;
    private final AtomicReference<ScheduledFuture<?>> expiry = new AtomicReference<>();
    private volatile Identity identity;
    private volatile String socketId;
    private volatile String pid;

    public Client(Connection connection, Lobby lobby, ChatEvents events, Limits limits) {
        this.connection = lobby.track(connection);
        this.lobby = lobby;
        this.events = events;
        this.messageLimit = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst());
        // Any event counts against a budget five times the message rate: joins, typing and history come in bursts.
        this.eventLimit = new RateLimiter(limits.messagesPerSecond() * 5, limits.messageBurst() * 5);
        this.typingLimit = new RateLimiter(limits.typingPerSecond(), limits.typingBurst());
        this.roomsPerSocket = limits.roomsPerSocket();
    }

    @Override
    public Admission onConnect(String auth) {
        return lobby.admit(this, auth);
    }

    @Override
    public void onEvent(String name, JsonNode payload, Ack ack) {
        events.handle(this, name, payload, ack);
    }

    @Override
    public void onRefused(Refusal why, Ack ack) {
        events.refuse(this, why, ack);
    }

    @Override
    public void onClose(String reason) {
        lobby.release(this, reason);
    }

    /** Queues an already-encoded packet. */
    public void send(String packet) {
        connection.send(packet);
    }

    /** Delivers a room frame, honouring the join boundary of {@link RoomFeed}; false if not a member. */
    public boolean deliver(String room, long seq, String frame) {
        RoomFeed feed = rooms.get(room);
        if (feed == null) {
            return false;
        }
        feed.offer(room, seq, frame, connection);
        return true;
    }

    void identify(Identity verified, String id) {
        this.identity = verified;
        this.socketId = id;
    }

    /** The private session id under which the socket's session is saved if it drops (connection state recovery). */
    void recoverableAs(String privateSessionId) {
        this.pid = privateSessionId;
    }

    String pid() {
        return pid;
    }

    /** What the socket was sent and has read, for its recovery; only while recovery is on. */
    DeliveryLog deliveryLog() {
        return (DeliveryLog) connection;
    }

    /** The seq of each answered join: the socket has each room's messages up to it. */
    Map<String, Long> joinedFloors() {
        Map<String, Long> floors = new HashMap<>();
        rooms.forEach((room, feed) -> {
            long floor = feed.floor();
            if (floor >= 0) {
                floors.put(room, floor);
            }
        });
        return floors;
    }

    /** The same user's fresher token, from a {@code refresh}. */
    void renew(Identity fresh) {
        this.identity = fresh;
    }

    /** Sets the task that ends the session when its token expires; returns the one it replaces, to cancel. */
    ScheduledFuture<?> expiresWith(ScheduledFuture<?> task) {
        return expiry.getAndSet(task);
    }

    RoomFeed startJoin(String room) {
        return rooms.computeIfAbsent(room, r -> new RoomFeed());
    }

    boolean inRoom(String room) {
        return rooms.containsKey(room);
    }

    void forgetRoom(String room) {
        rooms.remove(room);
    }

    Set<String> joinedRooms() {
        return rooms.keySet();
    }

    /** Whether joining one more room would pass the per-socket cap (each room can cost a Redis subscription). */
    boolean atRoomLimit() {
        return rooms.size() >= roomsPerSocket;
    }

    int roomsPerSocket() {
        return roomsPerSocket;
    }

    RateLimiter messageLimit() {
        return messageLimit;
    }

    RateLimiter eventLimit() {
        return eventLimit;
    }

    RateLimiter typingLimit() {
        return typingLimit;
    }

    Connection connection() {
        return connection;
    }

    /** The node's rule of who may use which room. */
    RoomAccess access() {
        return events.access();
    }

    public String user() {
        Identity current = identity;
        return current == null ? "" : current.user();
    }

    public Identity identity() {
        return identity;
    }

    public String socketId() {
        return socketId;
    }

    /**
     * The per-connection limits.
     *
     * @param messagesPerSecond sustained messages per second
     * @param messageBurst      messages allowed at once
     * @param roomsPerSocket    rooms one socket may be in at once
     * @param typingPerSecond   sustained {@code typing} events per second; more are dropped
     * @param typingBurst       {@code typing} events allowed at once
     */
    public record Limits(double messagesPerSecond, int messageBurst, int roomsPerSocket, double typingPerSecond,
                         int typingBurst) {
    }
}
