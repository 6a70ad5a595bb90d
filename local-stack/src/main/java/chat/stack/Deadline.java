package chat.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** The moment a wait gives up; pausing on it turns an interrupt into an exception, keeping the interrupt flag. */
record Deadline(long endNanos) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean hasPassed() {
        return System.nanoTime() - endNanos > 0;
    }

    /**
     * Asks {@code pending} every {@code step} until it names nothing left to wait for.
     *
     * @throws IllegalStateException naming the goal and what was left, once the deadline has passed
     */
    void await(String goal, Duration step, Supplier<Optional<String>> pending) {
        Optional<String> left = pending.get();
        while (left.isPresent()) {
            if (hasPassed()) {
                throw new IllegalStateException(goal + " did not happen in time: " + left.get());
            }
            pause(step);
            left = pending.get();
        }
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
