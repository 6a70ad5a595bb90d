package chat.node.engineio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;

/**
 * An Engine.IO HTTP error as a test sees it: status, media type and the {@code {"code":N,"message":"..."}} body.
 * Compared as a whole, so that a failure shows everything the server answered.
 *
 * @param status    HTTP status
 * @param mediaType the Content-Type without its parameters
 * @param code      the body's {@code code}, or -1 when the body is not such an object
 * @param message   the body's {@code message}, or the raw body when it is not such an object
 */
record ErrorAnswer(int status, String mediaType, int code, String message) {
    static final ErrorAnswer TRANSPORT_UNKNOWN = json(0, "Transport unknown");
    static final ErrorAnswer SESSION_ID_UNKNOWN = json(1, "Session ID unknown");
    static final ErrorAnswer BAD_HANDSHAKE_METHOD = json(2, "Bad handshake method");
    static final ErrorAnswer BAD_REQUEST = json(3, "Bad request");
    static final ErrorAnswer UNSUPPORTED_PROTOCOL_VERSION = json(5, "Unsupported protocol version");

    private static final ObjectMapper JSON = new ObjectMapper();

    static ErrorAnswer of(HttpResponse<String> response) {
        String mediaType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.path("code").isInt() && body.path("message").isTextual()) {
                return new ErrorAnswer(response.statusCode(), mediaType, body.get("code").asInt(),
                        body.get("message").asText());
            }
        } catch (JsonProcessingException e) {
            // Not JSON: the raw body goes into the message, where the failed comparison shows it.
        }
        return new ErrorAnswer(response.statusCode(), mediaType, -1, response.body());
    }

    private static ErrorAnswer json(int code, String message) {
        return new ErrorAnswer(400, "application/json", code, message);
    }
}
