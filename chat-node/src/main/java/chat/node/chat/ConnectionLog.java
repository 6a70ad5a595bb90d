package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.node.archive.Archive;

/** Writes who connected, joined, left and disconnected, on which node, to the archive's connection log. */
public final class ConnectionLog {
    private final Archive archive;
    private final String nodeId;

    public ConnectionLog(Archive archive, String nodeId) {
        this.archive = archive;
        this.nodeId = nodeId;
    }

    /** Records an event of {@code client}; {@code room} is null for connect and disconnect. */
    void record(ConnectionEvent.Type type, Client client, String room) {
        archive.log(new ConnectionEvent(type, client.user(), client.identity().name(), room, nodeId,
                client.socketId(), System.currentTimeMillis()));
    }
}
