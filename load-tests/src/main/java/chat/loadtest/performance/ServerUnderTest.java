package chat.loadtest.performance;

import chat.loadtest.cluster.ServerKind;

import java.nio.file.Path;

/**
 * A server the performance run measures.
 *
 * @param name        how the report names it: {@link #BEFORE}, {@link #CURRENT} or {@link #SOCKET_IO}
 * @param kind        a chat node or the Socket.IO baseline
 * @param app         the chat node's jar (a copy), or the baseline's folder
 * @param description where it came from, for the report
 */
public record ServerUnderTest(String name, ServerKind kind, Path app, String description) {

    /** A chat node built before the change being measured. */
    public static final String BEFORE = "before";
    /** The chat node being measured. */
    public static final String CURRENT = "current";
    /** The Socket.IO baseline with its classic Redis adapter. */
    public static final String SOCKET_IO = "socket.io";
}
