package chat.loadtest.socketio;

/**
 * A room message as a receiving client saw it, reduced to what the load tests check.
 *
 * @param room   the room
 * @param seq    its position in the room
 * @param from   the sender's user id
 * @param sentAt the sender's clock when it sent the message, in epoch milliseconds, read from the text
 */
public record Delivery(String room, long seq, String from, long sentAt) {
}
