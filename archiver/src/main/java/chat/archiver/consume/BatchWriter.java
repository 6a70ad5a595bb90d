package chat.archiver.consume;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import chat.archiver.store.ArchiveBatch;
import chat.archiver.store.ArchiveWriter;
import chat.archiver.store.Consumed;
import chat.archiver.store.StaleBatchException;
import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Writes batches into the archive one after another on a thread of its own, so that the poll loop reads and
 * decodes the next batch meanwhile. A batch that fails for want of PostgreSQL (or of Kafka, for its dead letters)
 * is retried with backoff until it commits, turns out stale, or is cancelled; a record that PostgreSQL refuses is
 * cornered by halving the batch and dead-lettered alone.
 */
final class BatchWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BatchWriter.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CANCEL_CHECK = Duration.ofMillis(50);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    /** The first failure of a batch is logged in full; later ones every so often, while PostgreSQL stays down. */
    private static final int LOG_EVERY = 20;
    /** Every so many messages of a batch, one has its ingress-to-archived latency recorded: a fair sample, cheaply. */
    private static final int LATENCY_SAMPLE = 16;

    private final ArchiveWriter writer;
    private final DeadLetters deadLetters;
    private final RecordDecoder decoder;
    private final ArchiverMetrics metrics;
    private final ArchiverTracing tracing;
    private final ExecutorService thread;
    /** Bumped to cancel every batch submitted before. */
    private final AtomicLong generation = new AtomicLong();

    BatchWriter(String name, ArchiveWriter writer, DeadLetters deadLetters, RecordDecoder decoder,
                ArchiverMetrics metrics, ArchiverTracing tracing) {
        this.tracing = tracing;
        this.thread = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    /** How a submitted batch ended. */
    sealed interface Outcome {
        ArchiveBatch batch();

        /** Committed: the archive now stands at the batch's next offsets. */
        record Written(ArchiveBatch batch) implements Outcome {
        }

        /** Not committed: another archiver had written one of its partitions. */
        record Stale(ArchiveBatch batch) implements Outcome {
        }

        /** Not committed: {@link #cancelAll()} was called before it could be. */
        record Cancelled(ArchiveBatch batch) implements Outcome {
        }
    }

    /** Queues the batch behind those submitted before it. */
    CompletableFuture<Outcome> submit(ArchiveBatch batch) {
        long submittedIn = generation.get();
        return CompletableFuture.supplyAsync(() -> {
            Span span = tracing.batchStarted(batch.size(), batch.traceparents());
            try {
                return persist(batch, submittedIn, false, span);
            } finally {
                span.end();
            }
        }, thread);
    }

    /**
     * Gives up every batch submitted so far: those waiting end as cancelled, the one being written ends after its
     * current attempt, committed or not.
     */
    void cancelAll() {
        generation.incrementAndGet();
    }

    /**
     * @param lettersSent whether the batch's dead letters are already acknowledged (by the batch this one is a
     *                    half of), so that a retry or a halving does not send them twice
     */
    private Outcome persist(ArchiveBatch batch, long submittedIn, boolean lettersSent, Span span) {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (generation.get() == submittedIn) {
            long started = System.nanoTime();
            Span transaction = tracing.transactionStarted(span);
            SQLException refusal = null;
            try {
                if (!lettersSent) {
                    deadLetters.publish(batch.rejected());
                    lettersSent = true;
                }
                ArchiveWriter.Written written = writer.writeBatch(batch);
                recordWritten(batch, written, System.nanoTime() - started);
                return new Outcome.Written(batch);
            } catch (StaleBatchException e) {
                metrics.staleBatch();
                transaction.setStatus(StatusCode.ERROR, "stale");
                LOG.log(Level.INFO, "Dropping a batch of {0} records: {1}", batch.size(), e.getMessage());
                return new Outcome.Stale(batch);
            } catch (SQLException e) {
                transaction.recordException(e);
                if (PostgresErrors.refusesData(e)) {
                    refusal = e;
                } else {
                    failed(batch, backoff.failed(), System.nanoTime() - started, e);
                }
            } catch (RuntimeException e) {
                transaction.recordException(e);
                failed(batch, backoff.failed(), System.nanoTime() - started, e);
            } finally {
                transaction.end();
            }
            if (refusal != null) {
                return persistInHalves(batch, submittedIn, refusal, span);
            }
            waitFor(backoff, submittedIn);
        }
        return new Outcome.Cancelled(batch);
    }

    /** Writes the halves one after the other; a single record that PostgreSQL refuses is dead-lettered. */
    private Outcome persistInHalves(ArchiveBatch batch, long submittedIn, SQLException refusal, Span span) {
        if (batch.size() == 1) {
            Consumed refused = batch.entries().getFirst();
            String reason = "PostgreSQL refused the record: " + refusal.getSQLState() + " " + refusal.getMessage();
            LOG.log(Level.WARNING, "Dead-lettering {0}@{1}: {2}", refused.source(), refused.offset(), reason);
            Outcome outcome = persist(batch.rejecting(decoder.refused(refused, reason)), submittedIn, false, span);
            return outcome instanceof Outcome.Written ? new Outcome.Written(batch) : outcome;
        }
        LOG.log(Level.INFO, "PostgreSQL refused a record in a batch of {0} ({1}); writing it in halves",
                batch.size(), refusal.getMessage());
        for (ArchiveBatch half : batch.halves()) {
            Outcome outcome = persist(half, submittedIn, true, span);
            if (!(outcome instanceof Outcome.Written)) {
                return outcome;
            }
        }
        return new Outcome.Written(batch);
    }

    private void recordWritten(ArchiveBatch batch, ArchiveWriter.Written written, long nanos) {
        metrics.batchWritten(nanos, written.inserted(), written.duplicates(), written.events(), written.rooms());
        metrics.changesArchived(batch.changes().size(), batch.erasures().size());
        metrics.deadLettered(batch.rejected().size());
        metrics.readMarkersRaised(written.markers());
        long now = System.currentTimeMillis();
        List<Consumed.Message> messages = batch.messages();
        for (int i = 0; i < messages.size(); i += LATENCY_SAMPLE) {
            metrics.archived(messages.get(i).record().message().ts(), now);
        }
    }

    private void failed(ArchiveBatch batch, int failures, long nanos, Exception e) {
        metrics.batchFailed(nanos);
        if (failures == 1) {
            LOG.log(Level.WARNING, "Writing a batch of " + batch.size() + " records failed; retrying until it"
                    + " commits", e);
        } else if (failures % LOG_EVERY == 0) {
            LOG.log(Level.WARNING, "Writing a batch of {0} records still fails after {1} attempts: {2}",
                    batch.size(), failures, e.toString());
        }
    }

    /** Sleeps until the backoff is due, or the batch is cancelled. */
    private void waitFor(Backoff backoff, long submittedIn) {
        while (!backoff.due() && generation.get() == submittedIn) {
            try {
                Thread.sleep(Math.max(1, Math.min(CANCEL_CHECK.toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(backoff.nanosUntilDue()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelAll();
            }
        }
    }

    /** Cancels what is queued and waits for the batch being written to end. */
    @Override
    public void close() {
        cancelAll();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "The archive writer did not finish its batch within {0}", CLOSE_WAIT);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
