package chat.node.engineio;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Engine.IO v4's heartbeat for one session: a ping every {@code pingInterval}, and the session ends when a ping
 * is not answered within {@code pingTimeout}. No new ping goes out while one waits for its answer.
 */
final class Heartbeat {
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Duration timeout;
    private final BooleanSupplier ping;
    private final Runnable timedOut;
    private volatile long lastPingNanos;
    private volatile long lastPongNanos;
    private volatile ScheduledFuture<?> schedule;

    /**
     * @param ping     sends a ping; false when it could not (the session is ending)
     * @param timedOut ends the session: a ping went unanswered
     */
    Heartbeat(ScheduledExecutorService scheduler, Duration interval, Duration timeout, BooleanSupplier ping,
              Runnable timedOut) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.timeout = timeout;
        this.ping = ping;
        this.timedOut = timedOut;
    }

    void start() {
        lastPongNanos = System.nanoTime();
        schedule = scheduler.scheduleAtFixedRate(this::ping, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** The client answered. */
    void pong() {
        lastPongNanos = System.nanoTime();
    }

    void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    private void ping() {
        if (lastPingNanos != 0 && lastPongNanos < lastPingNanos) {
            return;
        }
        long sentAt = System.nanoTime();
        lastPingNanos = sentAt;
        if (ping.getAsBoolean()) {
            scheduler.schedule(() -> checkPong(sentAt), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Checks the answer to the ping sent at {@code sentAt}, not a later one (the timeout may exceed the interval). */
    private void checkPong(long sentAt) {
        if (lastPongNanos < sentAt) {
            timedOut.run();
        }
    }
}
