package chat.node.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A node's {@code /observe/metrics} as Prometheus fetches it.
 */
final class MetricsScrape {
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MetricsScrape() {
    }

    /** The exposition in the format {@code accept} asks for. */
    static String fetch(int port, String accept) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                            .header("Accept", accept)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("/observe/metrics answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while scraping", e);
        }
    }

    /** The sum of every sample of the metric in a Prometheus text exposition; 0 when it has none. */
    static double sum(String exposition, String metric) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                String[] fields = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
                total += Double.parseDouble(fields[0]);
            }
        }
        return total;
    }
}
