package chat.stack;

import java.time.Duration;

/** The moment a wait gives up; pausing on it turns an interrupt into an exception, keeping the interrupt flag. */
record Deadline(long endNanos) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean hasPassed() {
        return System.nanoTime() - endNanos > 0;
    }

    void pause(Duration step) {
        try {
            Thread.sleep(step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
