package chat.node.observe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The repository's {@code alerts.yml}: promtool accepts it, its unit tests ({@code alerts-test.yml}) pass, and
 * Prometheus loads it, through {@code prometheus.yml}, in the stack and in the dashboard test alike.
 */
class AlertRulesTest {
    /** What README's "Scaling out" promises an alert for. */
    private static final Set<String> PROMISED = Set.of("ChatNodeDown", "ChatNodeNotReady", "ChatRedisErrors",
            "ChatKafkaProduceErrors", "ChatKafkaAckLatencyHigh", "ChatArchiverLagGrowing", "ChatArchiverDeadLetters",
            "ChatDeliveryLatencySloBreached", "ChatSlowReaderCutOffsSpiking");
    private static final Pattern CHAT_METRIC = Pattern.compile("\\bchat_[a-z_]+");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertPromtoolPasses("check", "rules", "alerts.yml");
    }

    @Test
    void everyAlertBehavesAsItsUnitTestsSay() throws Exception {
        assertPromtoolPasses("test", "rules", "alerts-test.yml");
    }

    @Test
    void prometheusLoadsTheRules() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(root().resolve("prometheus.yml")));
        @SuppressWarnings("unchecked")
        List<Object> ruleFiles = (List<Object>) config.get("rule_files");
        assertThat(ruleFiles, hasItem("alerts.yml"));
    }

    @Test
    void everyPromisedAlertExistsAndSaysWhatItMeansAndWhatToDo() throws IOException {
        List<Map<String, Object>> alerts = rules().stream().filter(rule -> rule.containsKey("alert")).toList();
        assertThat(alerts.stream().map(rule -> (String) rule.get("alert")).toList(),
                hasItems(PROMISED.toArray(String[]::new)));
        for (Map<String, Object> alert : alerts) {
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            assertThat(alert.get("alert") + " annotations", annotations.keySet(), hasItems("summary", "description"));
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
            assertThat(alert.get("alert") + " severity", Set.of("critical", "warning").contains(labels.get("severity")),
                    is(true));
        }
    }

    @Test
    void rulesReadOnlyMetricsTheApplicationsName() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Path source : List.of(
                root().resolve("chat-node/src/main/java/chat/node/telemetry/NodeMetrics.java"),
                root().resolve("archiver/src/main/java/chat/archiver/telemetry/ArchiverMetrics.java"))) {
            Matcher name = Pattern.compile("\"(chat_[a-z_]+)\"").matcher(Files.readString(source));
            while (name.find()) {
                named.add(name.group(1));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String metric : metricsReadByRules()) {
            String base = metric.replaceAll("_(bucket|count|sum|total)$", "").replaceAll("_seconds$", "");
            if (named.stream().noneMatch(name -> name.equals(metric) || name.replaceAll("_seconds$", "").equals(base))) {
                unknown.add(metric);
            }
        }
        assertThat("metrics no application exposes", unknown, is(empty()));
    }

    /** Every {@code chat_} series name the rules read, with its exposition suffix. */
    static Set<String> metricsReadByRules() throws IOException {
        Set<String> metrics = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            Matcher metric = CHAT_METRIC.matcher(String.valueOf(rule.get("expr")));
            while (metric.find()) {
                metrics.add(metric.group());
            }
        }
        assertThat(metrics, not(empty()));
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(root().resolve("alerts.yml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    private static void assertPromtoolPasses(String... arguments) throws IOException, InterruptedException {
        Path promtool = PrometheusTools.require(PrometheusTools.PROMTOOL);
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process run = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(String.join(" ", command) + ":\n" + output, run.waitFor(), is(0));
    }

    private static Path root() {
        return PrometheusTools.repositoryRoot();
    }
}
