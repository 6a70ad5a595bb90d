package chat.node.archive;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.MessageChange;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import chat.common.UserErasure;

import io.opentelemetry.context.Context;

import java.util.concurrent.CompletableFuture;

/**
 * Where a node stores what must outlive it: every message, edit, deletion, read marker and membership change before
 * its ack, erasures, and the connection log.
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

    /** Stores an edit or a deletion, like a message; completes once it is durable. */
    CompletableFuture<Void> append(MessageChange change, Context parent);

    /** Stores a user's erasure; completes once it is durable. */
    CompletableFuture<Void> erase(UserErasure erasure);

    /** Logs a connection event; failures are logged, not answered, since no client waits for them. */
    void log(ConnectionEvent event);

    /** Whether the archive takes records now (for readiness). */
    boolean healthy();
}
