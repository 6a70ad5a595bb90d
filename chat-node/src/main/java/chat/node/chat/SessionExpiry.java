package chat.node.chat;

import chat.common.JsonCodec;
import chat.node.auth.Identity;
import chat.node.auth.TokenVerifier;
import chat.node.socketio.SocketIoCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a session when its token expires (PROTOCOL.md §3): the client gets {@code session_expired}, then a Socket.IO
 * DISCONNECT, unless it sent a fresh token for the same user with {@code refresh} first.
 */
public final class SessionExpiry implements AutoCloseable {
    /** Why the session closed, in logs and the {@code chat_disconnects_total} metric. */
    public static final String TOKEN_EXPIRED = "token_expired";

    private final TokenVerifier tokens;
    private final Duration clockSkew;
    private final JsonCodec codec;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("session-expiry").daemon().factory());

    /**
     * @param clockSkew added to each {@code exp}, so that a session lasts as long as the node would admit its token
     */
    public SessionExpiry(TokenVerifier tokens, Duration clockSkew, JsonCodec codec) {
        this.tokens = tokens;
        this.clockSkew = clockSkew;
        this.codec = codec;
        // A refreshed or closed session cancels its deadline; without this, cancelled ones would stay queued until due.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Schedules the end of an admitted client's session at the expiry of its current token. */
    void watch(Client client) {
        // Rounded up to the next millisecond, so that it does not fire just before the deadline.
        Duration left = Duration.between(Instant.now(), deadline(client.identity()));
        ScheduledFuture<?> previous = client.expiresWith(scheduler.schedule(() -> expireIfDue(client),
                Math.max(0, left.toMillis() + 1), TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** Forgets a closed client's deadline. */
    void forget(Client client) {
        ScheduledFuture<?> previous = client.expiresWith(null);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** The {@code refresh} event: a valid token for the same user moves the session's end to that token's. */
    ObjectNode refresh(Client client, ObjectNode body) {
        JsonNode token = body.get("token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "'token' is required");
        }
        Identity fresh = tokens.verify(token.asText()).orElseThrow(() ->
                new ChatException(ErrorCode.UNAUTHORIZED, "the token is invalid or expired"));
        if (!fresh.user().equals(client.user())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "the token is for another user than this session's");
        }
        client.renew(fresh);
        watch(client);
        ObjectNode ack = Payloads.ok(codec.mapper());
        ack.put("exp", fresh.expires().getEpochSecond());
        return ack;
    }

    /**
     * Runs at the deadline, checked again against the wall clock: the scheduler's clock may run a little ahead of it,
     * and a refresh may have moved the deadline meanwhile. Either way the session is watched anew.
     */
    private void expireIfDue(Client client) {
        Identity identity = client.identity();
        if (identity == null) {
            return;
        }
        if (Instant.now().isBefore(deadline(identity))) {
            watch(client);
            return;
        }
        ObjectNode payload = codec.mapper().createObjectNode();
        payload.put("exp", identity.expires().getEpochSecond());
        payload.put("message", "the token expired; connect again with a fresh token");
        client.send(SocketIoCodec.event(ChatEvent.SESSION_EXPIRED.wireJson(), codec.write(payload)));
        client.send(SocketIoCodec.disconnect());
        client.connection().close(TOKEN_EXPIRED);
    }

    private Instant deadline(Identity identity) {
        return identity.expires().plus(clockSkew);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
