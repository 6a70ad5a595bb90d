package chat.node.observe;

import chat.node.chat.ChatEvent;
import chat.node.support.NodeProcess;
import chat.node.support.TestCluster;
import chat.node.telemetry.NodeMetrics;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Health and metrics are for Prometheus and the orchestrator: a node serves {@code /observe} on its management port
 * only, and its public port, the one behind the load balancer, answers 404 there.
 */
@ExtendWith(ChatStackExtension.class)
class ManagementPortTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    private static TestCluster cluster;

    @BeforeAll
    static void startNode(TestStack stack) {
        cluster = TestCluster.of(stack, 1);
    }

    @AfterAll
    static void stopNode() {
        cluster.close();
    }

    @Test
    void metricsAreServedOnTheManagementPortOnly() throws Exception {
        HttpResponse<String> management = get(cluster.managementPort(0), "/observe/metrics");
        assertThat(management.statusCode(), is(200));
        assertThat(management.body(), containsString("chat_"));

        assertThat(get(cluster.port(0), "/observe/metrics").statusCode(), is(404));
    }

    @Test
    void healthIsServedOnTheManagementPortOnly() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(cluster.managementPort(0), "/observe/health/ready").statusCode() == 200);
        assertThat(get(cluster.managementPort(0), "/observe/health").body(), containsString("\"redis\""));

        for (String path : new String[] {"/observe/health", "/observe/health/ready", "/observe"}) {
            assertThat(path, get(cluster.port(0), path).statusCode(), is(404));
        }
    }

    @Test
    void managementPortServesNothingOfThePublicPort() throws Exception {
        assertThat(cluster.managementPort(0), is(not(cluster.port(0))));
        assertThat(get(cluster.managementPort(0), "/socket.io/?EIO=4&transport=polling").statusCode(), is(404));
        assertThat(get(cluster.port(0), "/socket.io/?EIO=4&transport=polling").statusCode(), is(200));
    }

    /** In a JVM of its own: the nodes of this JVM share one meter registry, which other tests' errors have moved. */
    @Test
    void aFreshNodeExposesEverySeriesAnAlertReadsWithItsErrorCountersAtZero(TestStack stack, @TempDir Path logs)
            throws IOException {
        String metrics;
        try (NodeProcess fresh = NodeProcess.start(NodeProcess.environment(stack, stack.uniqueName("fresh")),
                logs.resolve("fresh.log"))) {
            metrics = MetricsScrape.fetch(fresh.managementPort(), MetricsScrape.PROMETHEUS_TEXT);
        }
        for (String metric : AlertRulesTest.metricsReadByRules()) {
            if (!metric.startsWith("chat_archiver_")) {
                assertThat(metric + " in a fresh node's scrape", samples(metrics, metric).isEmpty(), is(false));
            }
        }
        Map<Map<String, String>, Double> redisErrors = samples(metrics, NodeMetrics.REDIS_ERRORS);
        for (String operation : NodeMetrics.CLIENT_EVENTS) {
            assertThat(redisErrors, hasEntry(Map.of("operation", operation), 0.0));
        }
        assertThat(samples(metrics, NodeMetrics.KAFKA_ERRORS), is(Map.of(Map.of(), 0.0)));
        assertThat(samples(metrics, NodeMetrics.OVERFLOW_DISCONNECTS), is(Map.of(Map.of(), 0.0)));
        for (String kind : NodeMetrics.REFUSAL_KINDS) {
            assertThat(samples(metrics, NodeMetrics.REFUSALS), hasKey(Map.of("kind", kind)));
        }
    }

    @Test
    void countersAreRegisteredForEveryEventAClientSends() {
        List<String> clientEvents = Arrays.stream(ChatEvent.values())
                .filter(event -> ChatEvent.sentByClient(event.wire()) != null)
                .map(ChatEvent::wire)
                .toList();
        assertThat(NodeMetrics.CLIENT_EVENTS, is(clientEvents));
    }

    /** The samples of one series name in the text format, by their labels (Helidon's {@code scope} left out). */
    private static Map<Map<String, String>, Double> samples(String exposition, String name) {
        Map<Map<String, String>, Double> samples = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                Map<String, String> labels = new HashMap<>();
                Matcher label = LABEL.matcher(line.substring(name.length(), line.lastIndexOf(' ')));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                labels.remove("scope");
                samples.put(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return samples;
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
