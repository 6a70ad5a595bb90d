package chat.node.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A minimal Socket.IO v5 client over the JDK WebSocket, written from PROTOCOL.md, for tests that need to see and
 * send raw frames (malformed packets, slow reading, heartbeat) that a full client library hides.
 */
public final class SioClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebSocket socket;
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<Long, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();
    private final AtomicLong nextAck = new AtomicLong();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<String> open = new CompletableFuture<>();
    private volatile CompletableFuture<String> connectAnswer = new CompletableFuture<>();
    private volatile boolean answerPings = true;
    private volatile boolean reading = true;
    private final StringBuilder partial = new StringBuilder();

    private SioClient(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener())
                .join();
    }

    /** Opens a WebSocket to a node's Socket.IO endpoint and waits for the Engine.IO open packet. */
    public static SioClient open(int port) {
        return open(port, "EIO=4&transport=websocket");
    }

    public static SioClient open(int port, String query) {
        SioClient client = new SioClient(URI.create("ws://127.0.0.1:" + port + "/socket.io/?" + query));
        client.open.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    /** Opens and connects to namespace {@code /} with the token; fails unless the server accepts. */
    public static SioClient connected(int port, String token) {
        SioClient client = open(port);
        String answer = client.connect(token);
        if (!answer.startsWith("40")) {
            client.close();
            throw new AssertionError("connect refused: " + answer);
        }
        return client;
    }

    /** Sends CONNECT with the token and returns the server's answer frame (40... or 44...). */
    public String connect(String token) {
        return connectWith(token == null ? null : Map.of("token", token));
    }

    /**
     * Sends CONNECT with this {@code auth} object (none when null), e.g. the token and the {@code pid} and
     * {@code offset} of a reconnection, and returns the server's answer frame.
     */
    public String connectWith(Map<String, String> auth) {
        connectAnswer = new CompletableFuture<>();
        sendRaw(auth == null ? "40" : "40" + write(auth));
        return connectAnswer.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public String openPacket() {
        return open.join();
    }

    /** Emits an event that asks for an ack. */
    public CompletableFuture<JsonNode> emit(String event, Object payload) {
        long id = nextAck.getAndIncrement();
        CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        acks.put(id, ack);
        sendRaw("42" + id + "[" + quote(event) + "," + write(payload) + "]");
        return ack.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Emits an event and waits for its ack. */
    public JsonNode call(String event, Object payload) {
        return emit(event, payload).join();
    }

    /** Emits an event without asking for an ack. */
    public void send(String event, Object payload) {
        sendRaw("42[" + quote(event) + "," + write(payload) + "]");
    }

    public void sendRaw(String frame) {
        synchronized (socket) {
            socket.sendText(frame, true).join();
        }
    }

    /** Waits for the first event of that name whose payload matches. */
    public JsonNode await(String event, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (e.name().equals(event) && matching.test(e.payload())) {
                    return e.payload();
                }
            }
            sleep(10);
        }
        throw new AssertionError("no '" + event + "' event arrived in " + WAIT + "; got " + events);
    }

    /** Waits until {@code count} events of that name arrived, and returns them. */
    public List<JsonNode> awaitCount(String event, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = events(event);
            if (found.size() >= count) {
                return found;
            }
            sleep(10);
        }
        throw new AssertionError("expected " + count + " '" + event + "' events, got " + events(event).size());
    }

    /** Every event so far, whatever its name, in arrival order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Every event of that name so far, in arrival order. */
    public List<JsonNode> events(String event) {
        List<JsonNode> found = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals(event)) {
                found.add(e.payload());
            }
        }
        return found;
    }

    /** When the event carrying exactly this payload arrived. */
    public long arrivalMillis(JsonNode payload) {
        for (Event e : events) {
            if (e.payload() == payload) {
                return e.arrived();
            }
        }
        throw new IllegalArgumentException("not a payload this client received");
    }

    public List<String> frames() {
        return List.copyOf(frames);
    }

    /** Stops answering server pings, to test the heartbeat timeout. */
    public void stopAnsweringPings() {
        answerPings = false;
    }

    /** Stops taking frames off the socket, so the server's writes back up: a slow reader. */
    public void stopReading() {
        reading = false;
    }

    /** Takes frames off the socket again. */
    public void resumeReading() {
        reading = true;
        socket.request(1);
    }

    public boolean awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }

    private void onFrame(String frame) {
        frames.add(frame);
        if (frame.startsWith("0")) {
            open.complete(frame);
        } else if (frame.equals("2")) {
            if (answerPings) {
                sendRaw("3");
            }
        } else if (frame.startsWith("40") || frame.startsWith("44")) {
            connectAnswer.complete(frame);
        } else if (frame.startsWith("43")) {
            int bracket = frame.indexOf('[');
            long id = Long.parseLong(frame.substring(2, bracket));
            JsonNode payload = read(frame.substring(bracket)).get(0);
            CompletableFuture<JsonNode> ack = acks.remove(id);
            if (ack != null) {
                ack.complete(payload);
            }
        } else if (frame.startsWith("42")) {
            JsonNode array = read(frame.substring(2));
            events.add(new Event(array.get(0).asText(), array.get(1), System.currentTimeMillis()));
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("server sent invalid JSON: " + json, e);
        }
    }

    private static String write(Object payload) {
        try {
            return payload instanceof String s ? s : JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A server event.
     *
     * @param name    event name
     * @param payload its first argument
     * @param arrived epoch milliseconds when it arrived
     */
    public record Event(String name, JsonNode payload, long arrived) {
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                onFrame(frame);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
            open.completeExceptionally(error);
        }
    }
}
