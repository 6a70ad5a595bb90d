package chat.node.observe;

import chat.node.support.SioClient;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The Grafana dashboards against the real system: two chat nodes and the archiver on real Redis, Kafka and
 * PostgreSQL, real traffic with one failure of each kind, scraped every second by the real Prometheus binary with
 * the jobs of {@code prometheus.yml}. Every panel's query must return data, and every metric the dashboards name
 * must be scraped and, if it counts something, have counted.
 */
@ExtendWith(ChatStackExtension.class)
class DashboardQueriesTest {
    /** How long a query may take to show data: the faults and the archiver's batches take a few scrapes. */
    private static final Duration DATA = Duration.ofSeconds(90);
    /** The nodes' Kafka producers refuse records above this, so one large message is a Kafka error. */
    private static final int MAX_REQUEST_BYTES = 16_384;
    private static final Set<String> BOUNDED_LABELS = Set.of("__name__", "job", "instance", "scope", "le",
            "quantile", "type", "outcome", "reason", "kind", "operation", "change");
    private static final Pattern TRACED_BUCKET = Pattern.compile("(?m)^chat_(delivery|ack)_latency_seconds_bucket"
            + "\\{[^}]*} \\S+ # \\{[^}]*trace_id=\"[0-9a-f]{32}\"");
    private static final Pattern EXEMPLAR_OFF_BUCKET = Pattern.compile(
            "(?m)^\\w+(?<!_bucket)(?<!_total)(\\{[^}]*})? \\S+ # \\{");

    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static List<JsonNode> dashboards;
    private static TracedNodes nodes;
    private static PrometheusServer prometheus;
    private static Path folder;

    @BeforeAll
    static void runTheSystemUnderTrafficAndScrapeIt(TestStack stack) throws IOException {
        Path binary = PrometheusTools.require(PrometheusTools.PROMETHEUS);
        Path root = PrometheusTools.repositoryRoot();
        dashboards = GrafanaDashboards.load(root.resolve("grafana/dashboards"));
        String run = stack.uniqueName("observe");
        String[] topics = {"messages-" + run, "events-" + run, "deadletter-" + run};
        String group = "archiver-" + run;

        nodes = keep(TracedNodes.start(2, stack.redisUrl(), stack.kafkaBootstrap(),
                nodeSettings(stack, topics), keep(everySpanSampled())));
        InProcessArchiver archiver = keep(InProcessArchiver.start(stack.kafkaBootstrap(),
                archiverSettings(stack, topics, group)));
        await().atMost(Duration.ofSeconds(60)).until(archiver::ready);

        folder = Files.createTempDirectory("prometheus-");
        prometheus = keep(PrometheusServer.start(binary, root.resolve("prometheus.yml"), Map.of(
                "chat-node", List.of(local(nodes.managementPort(0)), local(nodes.managementPort(1))),
                "archiver", List.of(local(archiver.port()))), folder));

        ChatTraffic traffic = keep(new ChatTraffic(nodes, stack::uniqueName));
        traffic.slowReaderIsCutOff(20_000);
        traffic.conversation();
        Faults faults = keep(new Faults(stack.redisUrl(), stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword(), run));
        SioClient member = traffic.client(0, stack.uniqueName("unlucky"));
        faults.redisRefusesAPublish(member, stack.uniqueName("broken"));
        faults.kafkaRefusesAMessage(member, stack.uniqueName("huge"), MAX_REQUEST_BYTES + 1000);
        faults.recordTheArchiverCannotRead(stack.kafkaBootstrap(), topics[0]);
        faults.archiveWriteFailsOnce(group);
        traffic.startPulse();
        prometheus.awaitScrapes(10, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopEverything() throws IOException {
        for (AutoCloseable running : RUNNING.reversed()) {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("[DashboardQueriesTest] closing " + running + " failed: " + e);
            }
        }
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPanelQueryReturnsData() {
        return allQueries().stream().map(query -> DynamicTest.dynamicTest(query.toString(), () -> {
            JsonNode[] last = new JsonNode[1];
            await().atMost(DATA).pollInterval(Duration.ofMillis(500)).until(() -> {
                last[0] = prometheus.query(query.promql());
                return hasNumber(last[0]);
            }, is(true));
        }));
    }

    @Test
    void everyMetricTheDashboardsUseIsScrapedAndCounted() {
        Set<String> metrics = new TreeSet<>();
        allQueries().forEach(query -> metrics.addAll(query.metricNames()));
        Set<String> missing = new TreeSet<>(metrics);
        long deadline = System.nanoTime() + DATA.toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Set<String> scraped = new TreeSet<>(prometheus.metricNames());
            missing.removeIf(metric -> scraped.contains(metric)
                    && (!countsSomething(metric) || !prometheus.query("max(" + metric + ") > 0").isEmpty()));
            sleep(500);
        }
        assertThat("metrics of the dashboards missing from the scrapes, or counters still at 0, of " + metrics,
                missing, is(empty()));
    }

    @Test
    void nodesScrapedAsOpenMetricsCarryTraceIdsOnLatencyBuckets() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String scrape = MetricsScrape.fetch(nodes.managementPort(0), MetricsScrape.OPEN_METRICS)
                    + MetricsScrape.fetch(nodes.managementPort(1), MetricsScrape.OPEN_METRICS);
            return TRACED_BUCKET.matcher(scrape).find();
        });
        String scrape = MetricsScrape.fetch(nodes.managementPort(1), MetricsScrape.OPEN_METRICS);
        assertThat("exemplars only on buckets and counters, or Prometheus before 2.43 drops the scrape",
                EXEMPLAR_OFF_BUCKET.matcher(scrape).results().map(r -> r.group()).toList(), is(empty()));
    }

    @Test
    void prometheusKeepsTheTraceIdsGrafanaLinksToJaeger() {
        await().atMost(DATA).until(() -> {
            for (JsonNode series : prometheus.exemplars("chat_delivery_latency_seconds_bucket{job=\"chat-node\"}",
                    Duration.ofMinutes(10))) {
                for (JsonNode exemplar : series.path("exemplars")) {
                    if (exemplar.path("labels").path("trace_id").asText().matches("[0-9a-f]{32}")) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    @Test
    void chatMetricsCarryOnlyLabelsOfFewValues() {
        Set<String> unbounded = new TreeSet<>();
        for (JsonNode series : prometheus.series("{__name__=~\"chat_.+\"}")) {
            series.fieldNames().forEachRemaining(label -> {
                if (!BOUNDED_LABELS.contains(label)) {
                    unbounded.add(series.path("__name__").asText() + "{" + label + "}");
                }
            });
        }
        assertThat(unbounded, is(empty()));
    }

    private static OpenTelemetrySdk everySpanSampled() {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(Sampler.alwaysOn())
                        // Without a span processor the SDK hands out invalid spans: no trace ids, no exemplars.
                        .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build())
                        .build())
                .build();
    }

    private static Map<String, String> nodeSettings(TestStack stack, String[] topics) {
        Map<String, String> settings = new HashMap<>();
        settings.put("chat.kafka.topics.messages", topics[0]);
        settings.put("chat.kafka.topics.events", topics[1]);
        settings.put("chat.kafka.partitions", "4");
        settings.put("chat.kafka.properties.max.request.size", Integer.toString(MAX_REQUEST_BYTES));
        settings.put("chat.db.url", stack.databaseUrl());
        settings.put("chat.db.user", stack.databaseUser());
        settings.put("chat.db.password", stack.databasePassword());
        settings.put("chat.limits.textlength", Integer.toString(2 * MAX_REQUEST_BYTES));
        settings.put("chat.limits.outboxframes", "32");
        return settings;
    }

    private static Map<String, String> archiverSettings(TestStack stack, String[] topics, String group) {
        Map<String, String> settings = new HashMap<>();
        settings.put("chat.kafka.topics.messages", topics[0]);
        settings.put("chat.kafka.topics.events", topics[1]);
        settings.put("chat.kafka.topics.deadletter", topics[2]);
        settings.put("chat.kafka.group", group);
        settings.put("chat.kafka.partitions", "4");
        settings.put("chat.db.url", stack.databaseUrl());
        settings.put("chat.db.user", stack.databaseUser());
        settings.put("chat.db.password", stack.databasePassword());
        settings.put("chat.archiver.batch.wait", "20");
        return settings;
    }

    private static List<PanelQuery> allQueries() {
        return dashboards.stream().flatMap(d -> GrafanaDashboards.prometheusQueries(d).stream()).toList();
    }

    /** Whether the result has a sample with a number: a panel of NaN only (no traffic in the window) is empty. */
    private static boolean hasNumber(JsonNode result) {
        for (JsonNode sample : result) {
            if (!"NaN".equals(sample.path("value").path(1).asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean countsSomething(String metric) {
        return metric.endsWith("_total") || metric.endsWith("_count") || metric.endsWith("_sum")
                || metric.endsWith("_bucket");
    }

    private static String local(int port) {
        return "127.0.0.1:" + port;
    }

    private static <T extends AutoCloseable> T keep(T running) {
        RUNNING.add(running);
        return running;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
