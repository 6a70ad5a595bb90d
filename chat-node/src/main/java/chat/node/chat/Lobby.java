package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.node.auth.Identity;
import chat.node.auth.TokenVerifier;
import chat.node.socketio.Admission;
import chat.node.socketio.Connection;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Admits clients and lets them go: checks the token of a CONNECT and registers the user with the hub (restoring the
 * session a reconnection claims), and on disconnect saves the session for its recovery and takes the client out of
 * its rooms, with the presence events that follows.
 */
public final class Lobby {
    private static final System.Logger LOG = System.getLogger(Lobby.class.getName());

    private final TokenVerifier tokens;
    private final SessionExpiry expiry;
    private final Hub hub;
    private final Presence presence;
    private final ConnectionLog log;
    private final NodeMetrics metrics;
    private final ObjectMapper json;
    private final Duration redisTimeout;
    private final SessionRecovery recovery;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param redisTimeout how long a CONNECT waits for the user's channel subscription
     */
    public Lobby(TokenVerifier tokens, SessionExpiry expiry, Hub hub, Presence presence,
                 ConnectionLog log, NodeMetrics metrics, ObjectMapper json, Duration redisTimeout,
                 SessionRecovery recovery) {
        this.tokens = tokens;
        this.expiry = expiry;
        this.hub = hub;
        this.presence = presence;
        this.log = log;
        this.metrics = metrics;
        this.json = json;
        this.redisTimeout = redisTimeout;
        this.recovery = recovery;
    }

    /** The connection a new client sends on. */
    Connection track(Connection connection) {
        return recovery.track(connection);
    }

    /**
     * Verifies the token of the CONNECT's {@code auth} object, subscribes the user's channel, restores the session
     * the client claims with a {@code pid} (or gives it a new pid) and sets the session to end with the token.
     */
    Admission admit(Client client, String authText) {
        JsonNode auth = parse(authText);
        Identity verified = tokens.verify(auth == null ? null : auth.path("token").asText(null)).orElse(null);
        if (verified == null) {
            metrics.refused("auth");
            return new Admission.Refused("unauthorized");
        }
        client.identify(verified, newSocketId());
        SessionRecovery.Claim claim = recovery.claim(auth);
        recovery.expect(client, claim);
        try {
            hub.connect(client).get(redisTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ChatException e) {
            client.identify(null, null);
            metrics.refused(NodeMetrics.REFUSED_SOCKETS);
            return new Admission.Refused(e.code().wire());
        } catch (Exception e) {
            hub.disconnect(client);
            client.identify(null, null);
            LOG.log(System.Logger.Level.WARNING, "could not subscribe the user channel of " + verified.user()
                    + ": " + e);
            return new Admission.Refused("unavailable");
        }
        SessionRecovery.Resumed resumed = recovery.resume(client, claim);
        metrics.connected();
        log.record(ConnectionEvent.Type.CONNECT, client, null);
        expiry.watch(client);
        return new Admission.Accepted(client.socketId(), resumed.pid(), resumed.afterAnswer());
    }

    /** Takes a closed client out of its rooms and off the node. */
    void release(Client client, String reason) {
        if (client.identity() == null) {
            metrics.disconnected(reason);
            return;
        }
        expiry.forget(client);
        recovery.save(client, reason);
        for (String room : Set.copyOf(client.joinedRooms())) {
            client.forgetRoom(room);
            try {
                hub.leave(client, room);
                presence.update(room, client.user());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "presence update for " + client.user() + " in " + room
                        + " failed: " + e.getMessage());
            }
        }
        hub.disconnect(client);
        log.record(ConnectionEvent.Type.DISCONNECT, client, null);
        metrics.disconnected(reason);
    }

    /** A CONNECT payload ({@code {"token":"..."}}, and a reconnection's {@code pid} and {@code offset}), or null. */
    private JsonNode parse(String auth) {
        if (auth == null) {
            return null;
        }
        try {
            return json.readTree(auth);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String newSocketId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
