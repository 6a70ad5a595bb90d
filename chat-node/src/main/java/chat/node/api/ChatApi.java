package chat.node.api;

import chat.node.auth.Identity;
import chat.node.chat.ChatException;
import chat.node.chat.ErrorCode;
import chat.node.chat.Names;
import chat.node.chat.Node;

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

import java.util.List;
import java.util.Optional;

/**
 * The HTTP API of a node (PROTOCOL.md §8): announcements, dev tokens, room history, and the answer to Socket.IO
 * requests that do not upgrade to WebSocket.
 */
public final class ChatApi implements HttpService {
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_ANNOUNCE = 4000;

    private final Node node;
    private final AutoCloseable archive;

    /**
     * @param node    the node it serves
     * @param archive closed with the server (the history pool), or null
     */
    public ChatApi(Node node, AutoCloseable archive) {
        this.node = node;
        this.archive = archive;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/announce", this::announce)
                .post("/api/dev/token", this::devToken)
                .get("/api/rooms/{room}/messages", this::messages)
                .any("/socket.io", this::notWebSocket)
                .any("/socket.io/", this::notWebSocket);
    }

    private void announce(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = identity(req);
        if (identity.isEmpty()) {
            error(res, Status.UNAUTHORIZED_401, ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
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
            node.announce(text);
        } catch (RuntimeException e) {
            error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.UNAVAILABLE, "could not publish, retry");
            return;
        }
        res.status(Status.ACCEPTED_202).send();
    }

    private void devToken(ServerRequest req, ServerResponse res) {
        if (!node.config().devTokens()) {
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
        boolean admin = body.path("admin").asBoolean(false);
        ObjectNode answer = node.codec().mapper().createObjectNode();
        answer.put("token", node.tokens().issue(user, name, admin, node.config().devTokenTtl()));
        json(res, Status.OK_200, answer);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Optional<Identity> identity = identity(req);
        if (identity.isEmpty()) {
            error(res, Status.UNAUTHORIZED_401, ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
            return;
        }
        String room = req.path().pathParameters().get("room");
        if (!Names.isPublicRoom(room)) {
            String[] members = Names.directMembers(room);
            if (members == null) {
                error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, "'" + room + "' is not a valid room");
                return;
            }
            String user = identity.get().user();
            if (!members[0].equals(user) && !members[1].equals(user)) {
                error(res, Status.FORBIDDEN_403, ErrorCode.FORBIDDEN, "only its two users may read this room");
                return;
            }
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
            page = node.history().before(room, before, limit);
        } catch (ChatException e) {
            error(res, Status.SERVICE_UNAVAILABLE_503, e.code(), e.getMessage());
            return;
        }
        ObjectNode answer = node.codec().mapper().createObjectNode();
        ArrayNode messages = answer.putArray("messages");
        for (String message : page) {
            messages.addRawValue(new RawValue(message));
        }
        json(res, Status.OK_200, answer);
    }

    private void notWebSocket(ServerRequest req, ServerResponse res) {
        res.status(Status.BAD_REQUEST_400)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .send("{\"code\":3,\"message\":\"Bad request\"}");
    }

    private Optional<Identity> identity(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .flatMap(value -> node.tokens().verify(value.substring(7).trim()));
    }

    private JsonNode body(ServerRequest req, ServerResponse res) {
        try {
            byte[] bytes = req.content().inputStream().readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, ErrorCode.TOO_LARGE, "request body too large");
                return null;
            }
            JsonNode body = node.codec().mapper().readTree(bytes);
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

    private void json(ServerResponse res, Status status, JsonNode body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(node.codec().write(body));
    }

    private void error(ServerResponse res, Status status, ErrorCode code, String message) {
        ObjectNode answer = node.codec().mapper().createObjectNode();
        ObjectNode error = answer.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        json(res, status, answer);
    }

    @Override
    public void afterStop() {
        node.close();
        if (archive != null) {
            try {
                archive.close();
            } catch (Exception e) {
                System.getLogger(ChatApi.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the history pool failed", e);
            }
        }
    }
}
