package chat.archiver.consume;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import chat.archiver.store.ArchiveBatch;
import chat.archiver.store.Consumed;
import chat.archiver.telemetry.ArchiverMetrics;
import org.apache.kafka.common.TopicPartition;

/**
 * One writer and the batches of the partitions it owns: the batch being filled and those handed to the writer,
 * at most {@link #IN_FLIGHT} of them. A partition always goes through the same lane, so its batches commit in
 * order; lanes write side by side on connections of their own.
 */
final class WriterLane implements AutoCloseable {

    /** One batch being written and one ready behind it, so the writer never waits for the poll loop. */
    static final int IN_FLIGHT = 2;

    private final BatchAssembler assembling;
    private final BatchWriter writer;
    private final ArchiverMetrics metrics;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    WriterLane(BatchAssembler assembling, BatchWriter writer, ArchiverMetrics metrics) {
        this.assembling = assembling;
        this.writer = writer;
        this.metrics = metrics;
    }

    private record InFlight(ArchiveBatch batch, CompletableFuture<BatchWriter.Outcome> outcome) {
    }

    /**
     * @param traceparent where the record was produced, or null
     */
    void add(Consumed entry, long start, String traceparent, long nowNanos) {
        assembling.add(entry, start, nowNanos);
        if (traceparent != null) {
            assembling.link(traceparent);
        }
    }

    /** Whether the filling batch's span would take another link; reading a record's headers costs otherwise. */
    boolean wantsLinks() {
        return assembling.wantsLinks();
    }

    /** Hands the filling batch to the writer if it is due and the writer has room. */
    void dispatchIfDue(long nowNanos) {
        if (inFlight.size() < IN_FLIGHT && assembling.due(nowNanos)) {
            ArchiveBatch batch = assembling.drain();
            metrics.batchDispatched(batch.size());
            inFlight.addLast(new InFlight(batch, writer.submit(batch)));
        }
    }

    /** Whether the filling batch is full and the writer has no room for it: time to stop reading. */
    boolean saturated() {
        return assembling.full() && inFlight.size() >= IN_FLIGHT;
    }

    long nanosUntilDue(long nowNanos) {
        return assembling.isEmpty() ? Long.MAX_VALUE : assembling.nanosUntilDue(nowNanos);
    }

    boolean idle() {
        return inFlight.isEmpty();
    }

    /**
     * The oldest in-flight batch's outcome once it has one, or null. With {@code patience}, waits up to that long
     * for it and then cancels everything in flight, and waits for the outcome of the attempt under way.
     */
    BatchWriter.Outcome next(Duration patience) {
        InFlight oldest = inFlight.peekFirst();
        if (oldest == null) {
            return null;
        }
        if (!oldest.outcome().isDone()) {
            if (patience == null) {
                return null;
            }
            awaitOrCancel(oldest, patience);
        }
        inFlight.pollFirst();
        return oldest.outcome().join();
    }

    /** Gives up everything: cancels what is in flight, waits until the writer has let go of it, drops the rest. */
    void abandon() {
        writer.cancelAll();
        for (InFlight batch : inFlight) {
            batch.outcome().join();
        }
        inFlight.clear();
        assembling.clear();
    }

    /** Cancels what is in flight; its outcomes still come through {@link #next}. */
    void cancelAll() {
        writer.cancelAll();
    }

    void drop(Collection<TopicPartition> partitions) {
        assembling.drop(partitions);
    }

    private void awaitOrCancel(InFlight batch, Duration patience) {
        try {
            batch.outcome().get(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            System.getLogger(WriterLane.class.getName()).log(System.Logger.Level.WARNING,
                    "A batch of {0} records did not commit within {1}; cancelling it", batch.batch().size(),
                    patience);
            writer.cancelAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.cancelAll();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The archive writer failed", e.getCause());
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
