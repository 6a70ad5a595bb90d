package chat.loadtest.performance;

import chat.loadtest.scaling.LoadStep;

/**
 * One shape of the load: rooms of a size, the users filling them, and the rate a ladder starts at. Every user is one
 * socket in one room, sending {@code message} events at an equal share of the rate; all rooms are on the one node.
 *
 * @param roomSize  members per room
 * @param users     users in all
 * @param startRate messages per second, all users together, of the ladder's first step
 */
public record RoomShape(int roomSize, int users, double startRate) {

    public String label() {
        return "rooms of " + roomSize;
    }

    /** The load at {@code rate} messages per second: {@code leadSeconds} of sending, then the measured window. */
    public LoadStep load(double rate, int leadSeconds, int sendSeconds) {
        return new LoadStep(LoadStep.Generator.WIRE, users, roomSize, "sharded", rate, leadSeconds, sendSeconds);
    }
}
