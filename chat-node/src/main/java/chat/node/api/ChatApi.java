package chat.node.api;

import chat.common.JsonCodec;
import chat.node.auth.Identity;
import chat.node.auth.TokenSigner;
import chat.node.auth.TokenVerifier;
import chat.node.chat.ChatEvent;
import chat.node.chat.ChatException;
import chat.node.chat.Erasure;
import chat.node.chat.ErrorCode;
import chat.node.chat.Names;
import chat.node.chat.RoomAccess;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.history.History;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The HTTP API of a node (PROTOCOL.md §8): announcements, dev tokens, room history and users' erasure.
 */
public final class ChatApi implements HttpService {
    private static final System.Logger LOG = System.getLogger(ChatApi.class.getName());
    private static final int MAX_ANNOUNCE = 4000;

    private final TokenVerifier tokens;
    private final RoomBus bus;
    private final RoomAccess access;
    private final History history;
    private final JsonCodec codec;
    private final DevTokens devTokens;
    private final Limits limits;
    private final CallerRates rates;
    private final NodeMetrics metrics;
    private final Erasure erasure;

    public ChatApi(TokenVerifier tokens, RoomBus bus, RoomAccess access, History history, Erasure erasure,
                   JsonCodec codec, DevTokens devTokens, Limits limits, NodeMetrics metrics) {
        this.tokens = tokens;
        this.bus = bus;
        this.access = access;
        this.history = history;
        this.erasure = erasure;
        this.codec = codec;
        this.devTokens = devTokens;
        this.limits = limits;
        this.rates = new CallerRates(limits.requestsPerSecond(), limits.burst());
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/announce", this::announce)
                .post("/api/dev/token", this::devToken)
                .get("/api/rooms/{room}/messages", this::messages)
                .delete("/api/users/{user}/messages", this::erase);
    }

    /** Deletes a page of a user's messages and anonymises the user (see {@link Erasure}); 202 with what it did. */
    private void erase(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = caller(req, res);
        if (identity.isEmpty()) {
            return;
        }
        if (!identity.get().admin()) {
            error(res, Status.FORBIDDEN_403, ErrorCode.FORBIDDEN, "erasing a user needs the admin role");
            return;
        }
        String user = req.path().pathParameters().get("user");
        if (!Names.isUser(user)) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'" + user + "' is not a user id");
            return;
        }
        Erasure.Result result;
        try {
            result = erasure.erase(identity.get(), user).join();
        } catch (CompletionException | ChatException | JedisException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.log(System.Logger.Level.WARNING, "erasing user " + user + " failed: " + cause);
            error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.UNAVAILABLE, "the erasure could not be completed"
                    + " now; call again (it is safe to repeat)");
            return;
        }
        ObjectNode answer = codec.mapper().createObjectNode();
        answer.put("user", result.user());
        answer.put("deleted", result.deleted());
        answer.put("more", result.more());
        json(res, Status.ACCEPTED_202, answer);
    }

    private void announce(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = caller(req, res);
        if (identity.isEmpty()) {
            return;
        }
        if (!identity.get().admin()) {
            error(res, Status.FORBIDDEN_403, ErrorCode.FORBIDDEN, "announcements need the admin role");
            return;
        }
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        String text = body.path("text").asText("");
        if (text.isEmpty() || text.length() > MAX_ANNOUNCE) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'text' must have 1 to " + MAX_ANNOUNCE
                    + " characters");
            return;
        }
        try {
            announce(text);
        } catch (RuntimeException e) {
            error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.UNAVAILABLE, "could not publish, retry");
            return;
        }
        res.status(Status.ACCEPTED_202).send();
    }

    private void devToken(ServerRequest req, ServerResponse res) {
        if (!devTokens.enabled()) {
            error(res, Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "dev tokens are disabled");
            return;
        }
        JsonNode body = body(req, res);
        if (body == null) {
            return;
        }
        String user = body.path("user").asText("");
        if (!Names.isUser(user)) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'user' must match ^[A-Za-z0-9_.-]{1,64}$");
            return;
        }
        String name = body.path("name").asText(user);
        // Anyone who can reach the endpoint gets a token for any user: admin only where that is explicitly allowed.
        boolean admin = devTokens.grantAdmin() && body.path("admin").asBoolean(false);
        ObjectNode answer = codec.mapper().createObjectNode();
        answer.put("token", devTokens.signer().issue(user, name, admin, devTokens.ttl()));
        json(res, Status.OK_200, answer);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = caller(req, res);
        if (identity.isEmpty()) {
            return;
        }
        String room = req.path().pathParameters().get("room");
        try {
            access.check(identity.get().user(), room);
        } catch (ChatException e) {
            error(res, statusOf(e.code()), e.code(), e.getMessage());
            return;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis failed during a history request: " + e.getMessage());
            error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.UNAVAILABLE, "history is briefly unavailable, retry");
            return;
        }
        Long before;
        int limit;
        try {
            before = req.query().first("before").map(Long::parseLong).orElse(null);
            limit = req.query().first("limit").map(Integer::parseInt).orElse(50);
        } catch (NumberFormatException e) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'before' and 'limit' must be integers");
            return;
        }
        if (limit < 1 || limit > 100 || (before != null && before < 0)) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'limit' must be 1 to 100");
            return;
        }
        List<String> page;
        try {
            page = history.before(room, before, limit);
        } catch (ChatException e) {
            error(res, Status.SERVICE_UNAVAILABLE_503, e.code(), e.getMessage());
            return;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis failed during a history request: " + e.getMessage());
            error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.UNAVAILABLE, "history is briefly unavailable, retry");
            return;
        }
        ObjectNode answer = codec.mapper().createObjectNode();
        ArrayNode messages = answer.putArray("messages");
        for (String message : page) {
            messages.addRawValue(new RawValue(message));
        }
        json(res, Status.OK_200, answer);
    }

    /**
     * The identity of an authenticated request within its caller's rate; empty when the request has been answered
     * 401 or 429. The rate is per user, the token's subject, so a caller holding several tokens gets no more.
     */
    private Optional<Identity> caller(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = identity(req);
        if (identity.isEmpty()) {
            error(res, Status.UNAUTHORIZED_401, ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
            return Optional.empty();
        }
        if (!rates.tryAcquire(identity.get().user())) {
            metrics.refused(NodeMetrics.REFUSED_API_RATE);
            res.header(HeaderNames.RETRY_AFTER, "1");
            error(res, Status.TOO_MANY_REQUESTS_429, ErrorCode.RATE_LIMITED, "too many requests, slow down");
            return Optional.empty();
        }
        return identity;
    }

    private Optional<Identity> identity(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .flatMap(value -> tokens.verify(value.substring(7).trim()));
    }

    private JsonNode body(ServerRequest req, ServerResponse res) {
        try {
            byte[] bytes = req.content().inputStream().readNBytes(limits.maxBody() + 1);
            if (bytes.length > limits.maxBody()) {
                metrics.refused(NodeMetrics.REFUSED_API_BODY);
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, ErrorCode.TOO_LARGE, "request body above "
                        + limits.maxBody() + " bytes");
                return null;
            }
            JsonNode body = codec.mapper().readTree(bytes);
            if (body == null || !body.isObject()) {
                error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "the body must be a JSON object");
                return null;
            }
            return body;
        } catch (java.io.IOException e) {
            error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "the body must be a JSON object");
            return null;
        }
    }

    private static Status statusOf(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> Status.BAD_REQUEST_400;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            default -> Status.SERVICE_UNAVAILABLE_503;
        };
    }

    private void json(ServerResponse res, Status status, JsonNode body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(codec.write(body));
    }

    private void error(ServerResponse res, Status status, ErrorCode code, String message) {
        ObjectNode answer = codec.mapper().createObjectNode();
        ObjectNode error = answer.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        json(res, status, answer);
    }

    /** Sends an announcement to every connected socket of the cluster. */
    private void announce(String text) {
        ObjectNode payload = codec.mapper().createObjectNode();
        long now = System.currentTimeMillis();
        payload.put("text", text);
        payload.put("ts", now);
        bus.publish(Channels.BROADCAST, new BusFrame(ChatEvent.ANNOUNCE.wire(), 0, now, null, null,
                codec.write(payload)));
    }

    /**
     * Tokens for trying a node out, without an identity provider.
     *
     * @param signer     signs them with the cluster secret; null where {@code POST /api/dev/token} is disabled
     * @param ttl        how long they are valid
     * @param grantAdmin whether a request for {@code "admin":true} gets the admin role
     */
    public record DevTokens(TokenSigner signer, Duration ttl, boolean grantAdmin) {
        public static final DevTokens DISABLED = new DevTokens(null, Duration.ZERO, false);

        public boolean enabled() {
            return signer != null;
        }
    }

    /**
     * What the API takes of one caller, on this node.
     *
     * @param requestsPerSecond sustained authenticated requests per second per user
     * @param burst             requests a user may make at once
     * @param maxBody           largest request body, in bytes
     */
    public record Limits(double requestsPerSecond, int burst, int maxBody) {
    }
}
