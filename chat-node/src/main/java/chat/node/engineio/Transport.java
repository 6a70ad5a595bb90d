package chat.node.engineio;

/**
 * What carries an {@link EngineSession}'s packets: HTTP long-polling or a WebSocket. The session decides what is
 * sent and when; a transport only moves packets and reports its connection gone.
 */
public interface Transport {
    /** Whether this is the long-polling transport (the one a session can upgrade from). */
    boolean polling();

    /**
     * Packets wait in the session for this transport, or the session is closing: a transport that pushes (a
     * WebSocket) starts writing; one the client pulls from (polling) has nothing to do, its request is woken by
     * the session. Called on any thread, often the sender's; never blocks.
     */
    void wake();

    /** Closes the connection after what was already handed to it. */
    void close();

    /** Drops the connection at once, without waiting for a peer that stopped reading. */
    void abort();
}
