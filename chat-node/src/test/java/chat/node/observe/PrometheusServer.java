package chat.node.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus binary as a child process, scraping live targets every second with the jobs of the
 * repository's {@code prometheus.yml}: the file is read, each job keeps its name, path and settings, and its
 * service discovery is replaced by the local ports of the same job.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> DISCOVERY_KEYS = List.of("static_configs", "dns_sd_configs", "file_sd_configs",
            "consul_sd_configs", "kubernetes_sd_configs", "docker_sd_configs", "dockerswarm_sd_configs",
            "http_sd_configs");

    private final Process process;
    private final String base;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.log = log;
    }

    /**
     * @param rootConfig the repository's {@code prometheus.yml}
     * @param targets    {@code host:port} targets by job name; must name exactly the jobs of the file
     * @param folder     where the generated configuration, the TSDB and the log go
     */
    static PrometheusServer start(Path binary, Path rootConfig, Map<String, List<String>> targets, Path folder)
            throws IOException {
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, localConfig(Files.readString(rootConfig), targets));
        int port = freePort();
        Path log = folder.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=exemplar-storage")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        server.awaitReady(Duration.ofSeconds(30));
        return server;
    }

    /** The repository's configuration with every job scraping its local targets every second. */
    @SuppressWarnings("unchecked")
    static String localConfig(String rootConfig, Map<String, List<String>> targets) {
        Map<String, Object> config = new Yaml().load(rootConfig);
        Map<String, Object> global = (Map<String, Object>) config.computeIfAbsent("global", k -> new LinkedHashMap<>());
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> job : jobs) {
            String name = (String) job.get("job_name");
            names.add(name);
            DISCOVERY_KEYS.forEach(job::remove);
            job.remove("scrape_interval");
            job.remove("scrape_timeout");
            job.put("static_configs", List.of(Map.of("targets", targets.getOrDefault(name, List.of()))));
        }
        if (!names.equals(new TreeSet<>(targets.keySet()))) {
            throw new AssertionError("prometheus.yml has the jobs " + names + ", the test runs " + targets.keySet());
        }
        // Rule files are named relative to prometheus.yml, which stays in the repository while this copy does not.
        List<Object> ruleFiles = (List<Object>) config.getOrDefault("rule_files", List.of());
        config.put("rule_files", ruleFiles.stream()
                .map(file -> PrometheusTools.repositoryRoot().resolve(String.valueOf(file)).toString())
                .toList());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }

    /** Waits until every target is up and was scraped at least {@code scrapes} times. */
    void awaitScrapes(int scrapes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode fewest = query("min(count_over_time(up[5m]))");
            if (!fewest.isEmpty() && fewest.get(0).path("value").get(1).asDouble() >= scrapes && allTargetsUp()) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("Prometheus did not scrape every target " + scrapes + " times within " + timeout
                + "; targets: " + get("/api/v1/targets").path("data").path("activeTargets") + "\n" + logTail());
    }

    /** The result of an instant query: an array of samples ({@code metric}, {@code value}). */
    JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data")
                .path("result");
    }

    /** Exemplars stored for the series selected, over the last {@code window}. */
    JsonNode exemplars(String selector, Duration window) {
        double now = System.currentTimeMillis() / 1000.0;
        return get("/api/v1/query_exemplars?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&start=" + (now - window.toSeconds()) + "&end=" + now).path("data");
    }

    /** Every metric name Prometheus holds. */
    List<String> metricNames() {
        List<String> names = new ArrayList<>();
        get("/api/v1/label/__name__/values").path("data").forEach(name -> names.add(name.asText()));
        return names;
    }

    /** The label sets of every series of the metrics the selector picks. */
    JsonNode series(String selector) {
        return get("/api/v1/series?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).path("data");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "Prometheus log (" + log + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no Prometheus log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean allTargetsUp() {
        JsonNode targets = get("/api/v1/targets").path("data").path("activeTargets");
        for (JsonNode target : targets) {
            if (!"up".equals(target.path("health").asText())) {
                return false;
            }
        }
        return !targets.isEmpty();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for Prometheus", e);
            }
            sleep(100);
        }
        throw new AssertionError("Prometheus was not ready within " + timeout + "\n" + logTail());
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new AssertionError("Prometheus answered " + path + " with " + response.body());
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while asking Prometheus " + path, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
