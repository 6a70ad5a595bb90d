package chat.node.api;

import chat.node.chat.RateLimiter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per HTTP API caller, on this node only (no round trip to Redis per request). A bucket left alone
 * long enough to be full again is dropped: a new one starts full too, so forgetting it changes nothing, and the
 * map holds only the callers of the last few seconds.
 */
final class CallerRates {
    private final double perSecond;
    private final int burst;
    private final long refillNanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    /**
     * @param perSecond sustained requests per second per caller
     * @param burst     requests a caller may make at once
     */
    CallerRates(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.refillNanos = (long) Math.ceil(burst / perSecond * 1_000_000_000d);
    }

    /** Takes one request from the caller's bucket; false when it is empty. */
    boolean tryAcquire(String caller) {
        long now = System.nanoTime();
        if (now - lastSweep > refillNanos) {
            lastSweep = now;
            buckets.values().removeIf(bucket -> bucket.idleSince(now) > refillNanos);
        }
        Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(new RateLimiter(perSecond, burst)));
        return bucket.tryAcquire(now);
    }

    int callers() {
        return buckets.size();
    }

    /** One caller's limiter; requests of one caller may come at once, and {@link RateLimiter} is not thread-safe. */
    private static final class Bucket {
        private final RateLimiter limiter;
        private long lastUsed = System.nanoTime();

        Bucket(RateLimiter limiter) {
            this.limiter = limiter;
        }

        synchronized boolean tryAcquire(long now) {
            lastUsed = now;
            return limiter.tryAcquire();
        }

        synchronized long idleSince(long now) {
            return now - lastUsed;
        }
    }
}
