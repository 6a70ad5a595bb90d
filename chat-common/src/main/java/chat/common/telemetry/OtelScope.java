package chat.common.telemetry;

import io.helidon.tracing.Scope;

/**
 * A Helidon {@link Scope} over the OpenTelemetry scope of an activated span; closing it restores the context that
 * was current before, once.
 */
final class OtelScope implements Scope {
    private final io.opentelemetry.context.Scope scope;
    private Runnable onClose = () -> { };
    private boolean closed;

    OtelScope(io.opentelemetry.context.Scope scope) {
        this.scope = scope;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scope.close();
            onClose.run();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(scope)) {
            return type.cast(scope);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("Not an " + type.getName() + ": " + getClass().getName());
    }
}
