package chat.node.limits;

import chat.node.telemetry.NodeMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The {@code chat_refusals_total} counters of a node's {@code /observe/metrics}. Every node of the test JVM shares
 * one meter registry, so tests compare a count before and after.
 */
final class Refusals {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Refusals() {
    }

    /** The count of refusals of {@code kind} that the node on {@code port} exposes; 0 before the first. */
    static double of(int port, String kind) {
        String exposition;
        try {
            exposition = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while scraping", e);
        }
        for (String line : exposition.split("\n")) {
            if (line.startsWith(NodeMetrics.REFUSALS + "{") && line.contains("kind=\"" + kind + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }
}
