package chat.loadtest.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import chat.loadtest.socketio.SocketIoFrames;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Socket.IO connection over the JDK WebSocket, as docs/PROTOCOL.md describes it: the Engine.IO open, CONNECT with
 * a token, events with acks, the heartbeat, and room messages handed to a consumer on the reading thread, in the
 * order they arrived. It holds no chat state: {@link ChaosUser} does.
 */
final class ChatSocket implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE_EVENT = "42[\"message\",";

    private final Consumer<JsonNode> onMessage;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();
    private final AtomicInteger nextAckId = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final Object sending = new Object();
    private CompletableFuture<WebSocket> lastSend;
    private WebSocket socket;

    private ChatSocket(Consumer<JsonNode> onMessage) {
        this.onMessage = onMessage;
    }

    /**
     * Opens a WebSocket to a node and connects to namespace {@code /} with the token.
     *
     * @param onMessage called with each room message, on the reading thread, in arrival order
     * @throws IOException if the node cannot be reached, or refuses the connection
     */
    static ChatSocket connect(HttpClient http, String wsBaseUrl, String token, Duration timeout,
                              Consumer<JsonNode> onMessage) throws IOException {
        ChatSocket chat = new ChatSocket(onMessage);
        try {
            chat.socket = http.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(URI.create(SocketIoFrames.endpoint(wsBaseUrl)), chat)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            chat.lastSend = CompletableFuture.completedFuture(chat.socket);
            chat.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            chat.send(SocketIoFrames.connect(token));
            JsonNode answer = chat.connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!answer.has("sid")) {
                throw new IOException("CONNECT refused: " + answer);
            }
            return chat;
        } catch (ExecutionException | TimeoutException | IOException e) {
            chat.close();
            throw e instanceof IOException io ? io : new IOException("Could not connect to " + wsBaseUrl, e);
        } catch (InterruptedException e) {
            chat.close();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while connecting", e);
        }
    }

    /** Sends an event with an ack; the future fails when the connection closes first. */
    CompletableFuture<JsonNode> emit(String event, ObjectNode body) {
        int ackId = nextAckId.getAndIncrement();
        CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        acks.put(ackId, ack);
        if (closed.isDone()) {
            ack.completeExceptionally(new IOException("connection closed"));
        }
        send("42" + ackId + "[\"" + event + "\"," + body + "]");
        return ack;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        markClosed();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        markClosed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        markClosed();
    }

    private void handle(String frame) {
        if (frame.startsWith("0")) {
            opened.complete(null);
        } else if (frame.equals("2")) {
            send("3");
        } else if (frame.startsWith(MESSAGE_EVENT)) {
            onMessage.accept(parse(frame.substring(2)).path(1));
        } else if (frame.startsWith("43")) {
            int bracket = frame.indexOf('[');
            CompletableFuture<JsonNode> ack = acks.remove(Integer.parseInt(frame.substring(2, bracket)));
            if (ack != null) {
                ack.complete(parse(frame.substring(bracket)).path(0));
            }
        } else if (frame.startsWith("40") || frame.startsWith("44")) {
            connected.complete(parse(frame.substring(2)));
        } else if (frame.equals("1") || frame.startsWith("41")) {
            // The server closed the session (a drain) or the namespace: a new connection is needed either way.
            close();
        }
    }

    /** Sends one frame after the previous one went out, as the JDK WebSocket requires. */
    private void send(String frame) {
        synchronized (sending) {
            lastSend = lastSend.thenCompose(ws -> ws.sendText(frame, true));
            lastSend.whenComplete((ws, error) -> {
                if (error != null) {
                    markClosed();
                }
            });
        }
    }

    private void markClosed() {
        closed.complete(null);
        opened.completeExceptionally(new IOException("connection closed"));
        connected.completeExceptionally(new IOException("connection closed"));
        acks.values().forEach(ack -> ack.completeExceptionally(new IOException("connection closed")));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed frame: " + json, e);
        }
    }
}
