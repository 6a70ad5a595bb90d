package chat.node.chat;

import chat.common.JsonCodec;
import chat.node.fanout.SessionStore;
import chat.node.socketio.Connection;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Socket.IO's connection state recovery, for a cluster (PROTOCOL.md §3): a socket that drops without asking to
 * leaves its session in the {@link SessionStore} for the recovery window; a reconnection to any node that presents
 * its pid with a token of the same user gets that pid and its socket id back, is in its rooms again, and receives
 * the messages it missed before any live one. A session is taken once; an unknown one gets a fresh pid.
 */
public final class SessionRecovery {
    private static final System.Logger LOG = System.getLogger(SessionRecovery.class.getName());
    private static final Pattern PID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final int MAX_OFFSET_LENGTH = 256;
    /**
     * Close reasons after which socket.io-client reconnects by itself, as Socket.IO's own list: the transport went,
     * the heartbeat failed, or the server closed the session (a drain, a client cut off for not reading). A client
     * that disconnected, a token that expired and a protocol violation end the session for good.
     */
    private static final Set<String> RECOVERABLE = Set.of("transport_closed", "transport_error", "client_closed",
            "ping_timeout", "server_shutdown", "outbox_overflow");
    private static final Resumed OFF = new Resumed(null, () -> { });

    private final Settings settings;
    private final SessionStore store;
    private final Rejoin rejoin;
    private final NodeMetrics metrics;
    private final JsonCodec codec;
    private final SecureRandom random = new SecureRandom();

    public SessionRecovery(Settings settings, SessionStore store, Rejoin rejoin, NodeMetrics metrics,
                           JsonCodec codec) {
        this.settings = settings;
        this.store = store;
        this.rejoin = rejoin;
        this.metrics = metrics;
        this.codec = codec;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The connection a client sends on: one that logs what it was sent, while recovery is on. */
    Connection track(Connection connection) {
        return enabled() ? new DeliveryLog(connection, settings.unconfirmedCap()) : connection;
    }

    /** The pid and offset a reconnecting socket.io-client merges into its CONNECT's auth; null when it sent none. */
    Claim claim(JsonNode auth) {
        if (!enabled() || auth == null || !auth.path("pid").isTextual()
                || !PID.matcher(auth.path("pid").asText()).matches()) {
            return null;
        }
        JsonNode offset = auth.path("offset");
        return new Claim(auth.path("pid").asText(),
                offset.isTextual() && offset.asText().length() <= MAX_OFFSET_LENGTH ? offset.asText() : null);
    }

    /** Holds the live direct messages of a client that claims a session until its replay is done. */
    void expect(Client client, Claim claim) {
        if (claim != null) {
            client.deliveryLog().holdDirect();
        }
    }

    /**
     * The pid an admitted client is given and what follows its CONNECT answer: the session it claims, restored, or
     * a fresh pid. The client is registered on this node (its direct messages reach it) and identified.
     */
    Resumed resume(Client client, Claim claim) {
        if (!enabled()) {
            return OFF;
        }
        Rejoin.Replay replay = claim == null ? null : restore(client, claim);
        if (replay == null) {
            if (claim != null) {
                client.deliveryLog().releaseDirect(Map.of());
            }
            String pid = newPid();
            client.recoverableAs(pid);
            return new Resumed(pid, () -> { });
        }
        client.recoverableAs(claim.pid());
        return new Resumed(claim.pid(), replay::send);
    }

    private Rejoin.Replay restore(Client client, Claim claim) {
        SavedSession saved;
        try {
            String state = store.take(client.user(), claim.pid());
            if (state == null) {
                metrics.recovery("unknown");
                return null;
            }
            saved = codec.mapper().readValue(state, SavedSession.class);
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the saved session of " + client.user() + ": " + e);
            metrics.recovery("failed");
            return null;
        }
        Map<String, Long> resumeAfter = saved.resumePoints(claim.offset());
        if (resumeAfter == null) {
            metrics.recovery("lost");
            return null;
        }
        try {
            Rejoin.Replay replay = rejoin.prepare(client, saved.rooms().keySet(), resumeAfter, settings.replayCap());
            if (replay == null) {
                metrics.recovery("too_far");
                return null;
            }
            client.identify(client.identity(), saved.socketId());
            metrics.recovery("recovered");
            return replay;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not restore the rooms of " + client.user() + ": " + e);
            metrics.recovery("failed");
            return null;
        }
    }

    /**
     * Saves a closed client's session when it may come back by itself: its rooms, what it read of them, what it
     * was sent after that. Runs before the client leaves its rooms.
     */
    void save(Client client, String reason) {
        if (!enabled() || client.pid() == null || !RECOVERABLE.contains(reason)) {
            return;
        }
        DeliveryLog.Snapshot sent = client.deliveryLog().snapshot();
        Map<String, Long> rooms = new HashMap<>();
        Map<String, Long> conversations = new HashMap<>();
        client.joinedFloors().forEach((room, floor) ->
                rooms.put(room, Math.max(floor, sent.confirmed().getOrDefault(room, 0L))));
        sent.confirmed().forEach((room, seq) -> {
            if (Names.isDirectRoom(room)) {
                conversations.put(room, seq);
            }
        });
        SavedSession saved = new SavedSession(client.socketId(), rooms, conversations, sent.unconfirmed(),
                sent.complete());
        try {
            store.save(client.user(), client.pid(), codec.mapper().writeValueAsString(saved), settings.window());
            metrics.recoverySaved();
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "could not save the session of " + client.user() + " for its"
                    + " recovery: " + e);
        }
    }

    private String newPid() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The node's recovery settings.
     *
     * @param window         how long a dropped socket's session is kept; zero turns recovery off
     * @param replayCap      the most messages a recovery replays in all; beyond it the client is not recovered
     *                       and rejoins with {@code since}, which pages
     * @param unconfirmedCap the most messages a socket's {@link DeliveryLog} keeps unconfirmed
     */
    public record Settings(Duration window, int replayCap, int unconfirmedCap) {
        /**
         * The settings of a node whose outbox holds {@code outboxFrames} packets: a replay fills at most half of it
         * (and no more than a join's {@code missed}), and a socket keeps as many unconfirmed messages as its outbox
         * can hold.
         */
        public static Settings of(Duration window, int joinMissedCap, int outboxFrames) {
            return new Settings(window, Math.min(joinMissedCap, outboxFrames / 2), outboxFrames);
        }

        public boolean enabled() {
            return window.isPositive();
        }
    }

    /** The session a CONNECT claims: its pid, and the offset of the last message the client handled (or null). */
    record Claim(String pid, String offset) {
    }

    /**
     * @param pid         the pid of the CONNECT answer, null while recovery is off
     * @param afterAnswer what follows the answer: the replay of a recovered session
     */
    record Resumed(String pid, Runnable afterAnswer) {
    }
}
