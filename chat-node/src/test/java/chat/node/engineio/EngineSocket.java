package chat.node.engineio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A raw JDK WebSocket to a node's {@code /socket.io/}: the test sends text frames and takes the server's text
 * frames, in order, from a queue. Nothing is answered for the test, not even a ping.
 */
final class EngineSocket implements AutoCloseable {
    static final String WEBSOCKET = "EIO=4&transport=websocket";

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private EngineSocket() {
    }

    /** The query of a WebSocket that upgrades polling session {@code sid}. */
    static String upgrading(String sid) {
        return WEBSOCKET + "&sid=" + sid;
    }

    /** Opens a WebSocket with that query; fails if the server refuses the upgrade. */
    static EngineSocket open(URI server, String query) {
        return open(server, query, Map.of());
    }

    /** Opens a WebSocket with that query and those request headers; fails if the server refuses the upgrade. */
    static EngineSocket open(URI server, String query, Map<String, String> headers) {
        EngineSocket engineSocket = new EngineSocket();
        engineSocket.socket = connect(server, query, headers, engineSocket.new Frames()).join();
        return engineSocket;
    }

    /** The HTTP status with which the server refuses a WebSocket with that query; fails if it accepts it. */
    static int refusal(URI server, String query) {
        return refusal(server, query, Map.of());
    }

    /** The HTTP status with which the server refuses a WebSocket with that query and those request headers. */
    static int refusal(URI server, String query, Map<String, String> headers) {
        EngineSocket accepted = new EngineSocket();
        try {
            accepted.socket = connect(server, query, headers, accepted.new Frames()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        try (accepted) {
            String first = accepted.frames.poll(1, TimeUnit.SECONDS);
            throw new AssertionError("the server accepted a WebSocket with " + query + "; its first frame: " + first);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<WebSocket> connect(URI server, String query, Map<String, String> headers,
                                                        WebSocket.Listener listener) {
        URI uri = URI.create("ws://" + server.getAuthority() + "/socket.io/?" + query);
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, listener);
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The next text frame from the server; fails if none comes in time. */
    String next() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT + (closed.isDone()
                        ? "; the socket was closed: " + closed.join() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the server closed the socket, or the connection ended, within {@code timeout}. */
    boolean awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    private final class Frames implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete("close frame " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("connection error " + error);
        }
    }
}
