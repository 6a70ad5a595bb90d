package chat.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The application side of one Socket.IO connection on the root namespace. Calls come one at a time, in the order
 * the client sent its packets; {@link #onClose} comes once, last.
 */
public interface SocketHandler {
    /** The client asks to connect with its {@code auth} object (JSON text, or null when it sent none). */
    Admission onConnect(String auth);

    /** An event of a connected client: its name and first argument (null when it has none). */
    void onEvent(String name, JsonNode payload, Ack ack);

    /** An event that cannot be handled, for the reason given; the connection stays open. */
    void onRefused(Refusal why, Ack ack);

    void onClose(String reason);

    /** Why an event is refused before it reaches {@link #onEvent}. */
    enum Refusal {
        NOT_CONNECTED, INVALID_JSON, NOT_AN_EVENT, BINARY, TOO_LARGE
    }
}
