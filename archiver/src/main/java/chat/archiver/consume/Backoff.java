package chat.archiver.consume;

import java.time.Duration;

/**
 * When to try again after failures in a row: the wait doubles from {@code first} up to {@code max}, and starts
 * over once an attempt succeeds. Not thread-safe: each retrying loop has its own.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private int failures;
    private long retryAt = System.nanoTime();

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** Whether the wait after the last failure is over. */
    boolean due() {
        return nanosUntilDue() == 0;
    }

    long nanosUntilDue() {
        return Math.max(0, retryAt - System.nanoTime());
    }

    /** Counts a failure and sets the next wait; returns the number of failures in a row. */
    int failed() {
        failures++;
        long delay = Math.min(max.toNanos(), first.toNanos() << Math.min(failures - 1, 30));
        retryAt = System.nanoTime() + delay;
        return failures;
    }

    /** An attempt succeeded, or there is something new to try: the next attempt may go at once. */
    void reset() {
        failures = 0;
        retryAt = System.nanoTime();
    }
}
