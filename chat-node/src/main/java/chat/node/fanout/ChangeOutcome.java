package chat.node.fanout;

/**
 * What became of an edit or a deletion handed to {@link RoomBus#publishChange}.
 */
public sealed interface ChangeOutcome {

    /** The message as it now stands, in client form. */
    String json();

    /**
     * Published with the room's next seq.
     *
     * @param seq the change's seq
     */
    record Published(long seq, String json) implements ChangeOutcome {
    }

    /** The same editor sent this cid before: nothing was published; {@code json} is what that change made. */
    record Repeated(String json) implements ChangeOutcome {
    }

    /** The message is deleted already: nothing was published; {@code json} is its tombstone. */
    record AlreadyDeleted(String json) implements ChangeOutcome {
    }
}
