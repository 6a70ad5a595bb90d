package chat.loadtest.measure;

import java.time.Duration;

/**
 * The phases of a room-chat run on the wall clock: users arrive, then all send from {@code leadStart} to
 * {@code sendEnd}, then listen until {@code drainEnd} for the last deliveries. Only {@code sendStart} to
 * {@code sendEnd} is measured: the lead-in before it lets the nodes and the load generator compile their hot paths
 * at the full rate, as long-running processes have. Every user sees the same times, so every member of a room is in
 * it before the first message and listens past the last one.
 */
public final class SendWindow {

    private final Duration ramp;
    private final Duration settle;
    private final Duration lead;
    private final Duration send;
    private final Duration drain;
    private volatile long sendStart;

    public SendWindow(Duration ramp, Duration settle, Duration lead, Duration send, Duration drain) {
        this.ramp = ramp;
        this.settle = settle;
        this.lead = lead;
        this.send = send;
        this.drain = drain;
    }

    /** Fixes the phases from now, when the injection starts. */
    public void start() {
        sendStart = System.currentTimeMillis() + ramp.toMillis() + settle.toMillis() + lead.toMillis();
    }

    /** When users start sending: the lead-in before the measured window. */
    public long leadStart() {
        return sendStart - lead.toMillis();
    }

    public long sendStart() {
        return sendStart;
    }

    public long sendEnd() {
        return sendStart + send.toMillis();
    }

    public long drainEnd() {
        return sendEnd() + drain.toMillis();
    }

    public long millisUntilLeadStart() {
        return Math.max(0, leadStart() - System.currentTimeMillis());
    }

    /** Whether an epoch-ms time is inside the measured window. */
    public boolean measures(long epochMillis) {
        return epochMillis >= sendStart && epochMillis < sendEnd();
    }

    public boolean sending() {
        return System.currentTimeMillis() < sendEnd();
    }

    public boolean draining() {
        return System.currentTimeMillis() < drainEnd();
    }

    public double sendSeconds() {
        return send.toMillis() / 1000.0;
    }
}
