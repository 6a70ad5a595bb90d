package chat.node.archive;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.ReadMarker;
import chat.common.RoomChange;

import io.opentelemetry.context.Context;

import java.util.concurrent.CompletableFuture;

/**
 * Where a node stores what must outlive it: every message, read marker and membership change before its ack, and
 * the connection log.
 */
public interface Archive {
    /** Stores a message; completes once it is durable. {@code parent} is the trace the produce span joins. */
    CompletableFuture<Void> append(ArchiveRecord record, Context parent);

    /** Stores a read marker; completes once it is durable. {@code parent} is the trace the produce span joins. */
    CompletableFuture<Void> mark(ReadMarker marker, Context parent);

    /**
     * Stores a change of a private room's or group's members; completes once it is durable. {@code parent} is the
     * trace the produce span joins.
     */
    CompletableFuture<Void> roomChanged(RoomChange change, Context parent);

    /** Logs a connection event; failures are logged, not answered, since no client waits for them. */
    void log(ConnectionEvent event);

    /** Whether the archive takes records now (for readiness). */
    boolean healthy();
}
