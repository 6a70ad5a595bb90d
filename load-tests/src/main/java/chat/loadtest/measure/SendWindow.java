package chat.loadtest.measure;

import java.time.Duration;

/**
 * The phases of a room-chat run on the wall clock: users arrive, then all send from {@code sendStart} to
 * {@code sendEnd}, then listen until {@code drainEnd} for the last deliveries. Every user sees the same times, so
 * every member of a room is in it before the first message and listens past the last one.
 */
public final class SendWindow {

    private final Duration ramp;
    private final Duration settle;
    private final Duration send;
    private final Duration drain;
    private volatile long sendStart;

    public SendWindow(Duration ramp, Duration settle, Duration send, Duration drain) {
        this.ramp = ramp;
        this.settle = settle;
        this.send = send;
        this.drain = drain;
    }

    /** Fixes the phases from now, when the injection starts. */
    public void start() {
        sendStart = System.currentTimeMillis() + ramp.toMillis() + settle.toMillis();
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

    public long millisUntilSendStart() {
        return Math.max(0, sendStart - System.currentTimeMillis());
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
