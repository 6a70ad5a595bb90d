package chat.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The pub/sub frames a server under test has received from Redis since it started: what a Redis fan-out costs each
 * node, read from the address {@link ServerKind#stats} names. A chat node counts them in a Prometheus counter, the
 * Socket.IO baseline in its JSON {@code /stats}.
 */
public final class RedisFrames {

    /** The chat node's counter, as chat-node's {@code NodeMetrics.REDIS_RECEIVED} names it. */
    static final String COUNTER = "chat_redis_frames_received_total";
    /** The baseline's field. */
    static final String FIELD = "redisFramesReceived";
    /** The text format: a chat node's metrics endpoint serves JSON and OpenMetrics too. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisFrames() {
    }

    /** The frames the server of {@code kind} whose stats are at {@code stats} has received. */
    public static long received(ServerKind kind, URI stats) {
        return switch (kind) {
            case CHAT_NODE -> fromPrometheus(fetch(stats, PROMETHEUS_TEXT));
            case SOCKET_IO, SOCKET_IO_SHARDED -> fromJson(fetch(stats, "application/json"));
            case ARCHIVER -> throw new UnsupportedOperationException("The archiver reads no Redis pub/sub");
        };
    }

    /** The baseline's count in its {@code /stats} JSON. */
    static long fromJson(String body) {
        JsonNode count;
        try {
            count = JSON.readTree(body).path(FIELD);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The baseline's stats are not JSON: " + body, e);
        }
        if (!count.canConvertToLong()) {
            throw new IllegalArgumentException("No whole " + FIELD + " in the baseline's stats: " + body);
        }
        return count.asLong();
    }

    /**
     * The sum of the counter's samples over all their label sets, in a Prometheus text exposition (or OpenMetrics,
     * whose {@code _created} samples have another name).
     *
     * @throws IllegalArgumentException when the exposition has no sample of the counter: a chat node registers it at
     *                                  0 when it starts, so its absence means the address is not a chat node's
     */
    static long fromPrometheus(String exposition) {
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            Sample sample = Sample.parse(line.strip());
            if (sample != null && sample.name().equals(COUNTER)) {
                total += sample.value();
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("No " + COUNTER + " sample in the metrics");
        }
        return Math.round(total);
    }

    /** One sample line: {@code name{labels} value [timestamp]}, labels optional. */
    private record Sample(String name, double value) {
        /** The sample on {@code line}; null for a comment, a blank line or a line that is not a sample. */
        static Sample parse(String line) {
            if (line.isEmpty() || line.startsWith("#")) {
                return null;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                nameEnd++;
            }
            int valueStart = line.startsWith("{", nameEnd) ? labelsEnd(line, nameEnd) : nameEnd;
            if (valueStart < 0) {
                return null;
            }
            String[] rest = line.substring(valueStart).strip().split("\\s+");
            if (rest[0].isEmpty()) {
                return null;
            }
            return new Sample(line.substring(0, nameEnd), Double.parseDouble(rest[0]));
        }

        /** The index after the '}' closing the labels opened at {@code open}; a '}' in a quoted value does not. */
        private static int labelsEnd(String line, int open) {
            boolean quoted = false;
            for (int i = open + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == '}' && !quoted) {
                    return i + 1;
                }
            }
            return -1;
        }
    }

    private static String fetch(URI stats, String accept) {
        // HTTP/1.1: Engine.IO drops any upgrade request outside its own path, h2c included.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stats).timeout(TIMEOUT)
                    .header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(stats + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stats, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + stats, e);
        }
    }
}
