package chat.node.engineio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Raw Engine.IO long-polling requests to a node's {@code /socket.io/} with the JDK HTTP client: what a browser's
 * XHR sends, with no client library between the test and the wire.
 */
final class EngineHttp {
    static final String POLLING = "EIO=4&transport=polling";
    /** Joins the packets of one polling payload. */
    static final String SEPARATOR = "\u001e";

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();

    private final URI server;

    EngineHttp(URI server) {
        this.server = server;
    }

    /** The query of a request within session {@code sid}. */
    static String session(String sid) {
        return POLLING + "&sid=" + sid;
    }

    /** The packets of a polling payload, in order. */
    static List<String> packets(String payload) {
        return Arrays.asList(payload.split(SEPARATOR, -1));
    }

    HttpRequest.Builder request(String query) {
        return requestAt("/socket.io/", query);
    }

    HttpRequest.Builder requestAt(String path, String query) {
        return HttpRequest.newBuilder(server.resolve(path + "?" + query)).timeout(WAIT);
    }

    HttpResponse<String> get(String query) {
        return send(request(query).GET());
    }

    HttpResponse<String> post(String query, String body) {
        return send(request(query).POST(BodyPublishers.ofString(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request failed: " + request.build(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.build(), e);
        }
    }

    /** Starts a GET of session {@code sid}, which the server holds open until it has packets to answer with. */
    CompletableFuture<HttpResponse<String>> startPoll(String sid) {
        return CLIENT.sendAsync(request(session(sid)).GET().build(), BodyHandlers.ofString());
    }

    /** Opens a polling session and returns its sid; fails unless the server answers with an open packet. */
    String openSession() {
        HttpResponse<String> handshake = get(POLLING);
        if (handshake.statusCode() != 200) {
            throw new AssertionError("the handshake was answered " + handshake.statusCode() + ": " + handshake.body());
        }
        return OpenPacket.parse(handshake.body()).sid();
    }

    /**
     * Polls session {@code sid} until {@code count} packets have come, over as many GETs as the server needs, and
     * returns them in order. Noops are left out: they carry nothing, and a server may end any poll with one.
     */
    List<String> pollPackets(String sid, int count) {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            HttpResponse<String> poll = get(session(sid));
            if (poll.statusCode() != 200) {
                throw new AssertionError("a poll after " + received + " was answered " + poll.statusCode() + ": "
                        + poll.body());
            }
            packets(poll.body()).stream().filter(packet -> !packet.equals("6")).forEach(received::add);
        }
        return received;
    }
}
