package chat.node.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A lean Socket.IO client for throughput: it sends a message, waits for its ack, sends the next, and counts the
 * messages the room delivers to it. Unlike the tests' {@code SioClient} it keeps no frames, so receiving costs
 * next to nothing. A benchmark that paces its own sends instead {@link #emit}s packets and watches the events and
 * acks that arrive.
 */
final class BenchmarkClient implements WebSocket.Listener, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String token;
    private final String messageFrameStart;
    private final Consumer<String> events;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    private volatile boolean sending;
    private long ackId;
    private long sentAt;
    private long[] latencies = new long[1024];
    private int latencyCount;
    private volatile boolean recording;

    private BenchmarkClient(int port, String token, String room, Consumer<String> events) {
        this.token = token;
        this.events = events;
        this.messageFrameStart = "[\"message\",{\"room\":\"" + room + "\",\"text\":\"benchmark message of about "
                + "one hundred characters, like a line of chat between two people in a room\"}]";
        HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), this)
                .join();
    }

    /** Connects with the token and joins the room. */
    static BenchmarkClient joined(int port, String token, String room) {
        return joined(port, token, room, packet -> { });
    }

    /**
     * Connects with the token and joins the room; from then on {@code events} sees every {@code message} event
     * ({@code 42["message",...]}) and every ack ({@code 43...}) that arrives, on the socket's thread.
     */
    static BenchmarkClient joined(int port, String token, String room, Consumer<String> events) {
        BenchmarkClient client = new BenchmarkClient(port, token, room, events);
        client.connected.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        client.send("420[\"join\",{\"room\":\"" + room + "\"}]");
        client.joined.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    /** Starts sending: one message in flight at a time, the next as soon as the ack arrives. */
    void startSending() {
        sending = true;
        sendNext();
    }

    void stopSending() {
        sending = false;
    }

    /** Whether ack latencies are kept (after the warm-up). */
    void recordLatencies(boolean on) {
        recording = on;
    }

    /** Sends an Engine.IO packet, e.g. {@code 42<ackId>["message",{...}]}, after those sent before it. */
    void emit(String packet) {
        send(packet);
    }

    long acked() {
        return acked.get();
    }

    long delivered() {
        return delivered.get();
    }

    /** The ack latencies kept, in nanoseconds; read after sending stopped. */
    synchronized long[] latencies() {
        return Arrays.copyOf(latencies, latencyCount);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        // Set here, not from buildAsync: the server's open packet may arrive before buildAsync returns.
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            onFrame(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        sending = false;
        socket.abort();
    }

    private void onFrame(String frame) {
        if (frame.startsWith("42[\"message\"")) {
            delivered.incrementAndGet();
            events.accept(frame);
        } else if (frame.startsWith("43")) {
            if (frame.startsWith("430[")) {
                joined.complete(null);
            } else {
                messageAcked(frame.contains("\"ok\":true"));
                events.accept(frame);
            }
        } else if (frame.equals("2")) {
            send("3");
        } else if (frame.startsWith("0{")) {
            send("40{\"token\":\"" + token + "\"}");
        } else if (frame.startsWith("40")) {
            connected.complete(null);
        } else if (frame.startsWith("44")) {
            connected.completeExceptionally(new IllegalStateException("connect refused: " + frame));
        }
    }

    private synchronized void messageAcked(boolean ok) {
        if (ok) {
            acked.incrementAndGet();
            if (recording) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = System.nanoTime() - sentAt;
            }
        }
        if (sending) {
            sendNext();
        }
    }

    private synchronized void sendNext() {
        ackId++;
        sentAt = System.nanoTime();
        send("42" + ackId + messageFrameStart);
    }

    /** The JDK WebSocket takes one send at a time, so sends are chained. */
    private synchronized void send(String frame) {
        sends = sends.thenCompose(ignored -> socket.sendText(frame, true));
    }
}
