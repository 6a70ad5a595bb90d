package chat.node.socketio;

import chat.node.engineio.EngineSession;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Socket.IO layer of a node: puts a {@link SocketIoConnection} on each Engine.IO session and an application
 * handler behind it.
 */
public final class SocketIoServer implements AutoCloseable {
    private final Duration connectTimeout;
    private final ObjectMapper json;
    private final Function<Connection, SocketHandler> handlers;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("socketio-deadlines").daemon().factory());

    /**
     * @param connectTimeout how long a session may stay without a CONNECT
     * @param handlers       makes the application side of each connection
     */
    public SocketIoServer(Duration connectTimeout, ObjectMapper json, Function<Connection, SocketHandler> handlers) {
        // A connect deadline cancelled by the CONNECT must not keep its session reachable for 45 s.
        scheduler.setRemoveOnCancelPolicy(true);
        this.connectTimeout = connectTimeout;
        this.json = json;
        this.handlers = handlers;
    }

    /** The handler of a new Engine.IO session. */
    public EngineSession.Handler attach(EngineSession session) {
        return new SocketIoConnection(session, this);
    }

    ObjectMapper json() {
        return json;
    }

    SocketHandler handlerFor(Connection connection) {
        return handlers.apply(connection);
    }

    ScheduledFuture<?> deadline(Runnable check) {
        return scheduler.schedule(check, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
