package chat.node.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Socket.IO client on Engine.IO's HTTP long-polling transport, in raw requests as a browser's XHR sends them: the
 * handshake {@code GET}, then always one {@code GET} waiting on the node (the next one leaves once the packets of
 * the last one are handled, so they are handled in order), and {@code POST}s for what the client sends: one at a
 * time, and what is written while one is out goes together in the next, joined by the record separator, as
 * {@code engine.io-client} does. It answers pings and keeps no packets; the benchmark watches the {@code message}
 * events and acks.
 */
final class PollingClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SEPARATOR = "\u001e";

    private final HttpClient http;
    private final URI session;
    private final Consumer<String> events;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final List<String> outgoing = new ArrayList<>();
    private boolean posting;
    private volatile boolean open = true;
    private volatile String failure;

    private PollingClient(HttpClient http, URI session, Consumer<String> events) {
        this.http = http;
        this.session = session;
        this.events = events;
    }

    /**
     * An HTTP client for polling clients to share: HTTP/1.1 as a browser's XHR (the JDK's default HTTP/2 would ask
     * to upgrade with h2c), its connections kept alive and pooled.
     */
    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    }

    /**
     * Opens a polling session over {@code http}, connects with the token and joins the room; from then on
     * {@code events} sees every {@code message} event ({@code 42["message",...]}) and every ack ({@code 43...})
     * that arrives.
     */
    static PollingClient joined(HttpClient http, int port, String token, String room, Consumer<String> events) {
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling");
        PollingClient client = new PollingClient(http, URI.create(endpoint + "&sid=" + handshake(http, endpoint)),
                events);
        client.poll();
        client.emit("40{\"token\":\"" + token + "\"}");
        client.connected.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        client.emit("420[\"join\",{\"room\":\"" + room + "\"}]");
        client.joined.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    /** Sends an Engine.IO packet in the next {@code POST}, after those written before it. */
    void emit(String packet) {
        synchronized (outgoing) {
            outgoing.add(packet);
            if (posting) {
                return;
            }
            posting = true;
        }
        post();
    }

    /** {@code GET}s the node has answered so far. */
    long polls() {
        return polls.get();
    }

    /** {@code POST}s the node has answered so far. */
    long posts() {
        return posts.get();
    }

    /** Why the session ended early, or null while it runs as it should. */
    String failure() {
        return failure;
    }

    /** Stops polling and answering; the GET still waiting ends with the shared HTTP client. */
    @Override
    public void close() {
        open = false;
    }

    private static String handshake(HttpClient http, URI endpoint) {
        try {
            String body = http.send(HttpRequest.newBuilder(endpoint).timeout(WAIT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int start = body.indexOf("\"sid\":\"") + 7;
            if (!body.startsWith("0{") || start < 7) {
                throw new IllegalStateException("the handshake was answered " + body);
            }
            return body.substring(start, body.indexOf('"', start));
        } catch (IOException e) {
            throw new IllegalStateException("the handshake failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the handshake", e);
        }
    }

    /** Sends the one waiting GET; once its packets are handled, the next one leaves. */
    private void poll() {
        if (!open) {
            return;
        }
        http.sendAsync(HttpRequest.newBuilder(session).GET().build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    if (answered("GET", response, error)) {
                        polls.incrementAndGet();
                        for (String packet : response.body().split(SEPARATOR)) {
                            onPacket(packet);
                        }
                        poll();
                    }
                });
    }

    private void post() {
        String body;
        synchronized (outgoing) {
            body = String.join(SEPARATOR, outgoing);
            outgoing.clear();
        }
        http.sendAsync(HttpRequest.newBuilder(session).timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "text/plain;charset=UTF-8").build(),
                HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    if (!answered("POST", response, error)) {
                        return;
                    }
                    posts.incrementAndGet();
                    synchronized (outgoing) {
                        if (outgoing.isEmpty()) {
                            posting = false;
                            return;
                        }
                    }
                    post();
                });
    }

    private boolean answered(String method, HttpResponse<String> response, Throwable error) {
        if (!open) {
            return false;
        }
        if (error != null || response.statusCode() != 200) {
            fail(method + " failed: " + (error != null ? error : response.statusCode() + " " + response.body()));
            return false;
        }
        return true;
    }

    private void onPacket(String packet) {
        if (packet.startsWith("42[\"message\"") || packet.startsWith("43") && !packet.startsWith("430[")) {
            events.accept(packet);
        } else if (packet.equals("2")) {
            emit("3");
        } else if (packet.startsWith("430[")) {
            joined.complete(null);
        } else if (packet.startsWith("40")) {
            connected.complete(null);
        } else if (packet.startsWith("44")) {
            fail("connect refused: " + packet);
        } else if (packet.equals("1")) {
            fail("the node closed the session");
        }
    }

    private void fail(String why) {
        failure = why;
        open = false;
        connected.completeExceptionally(new IllegalStateException(why));
        joined.completeExceptionally(new IllegalStateException(why));
    }
}
