package chat.node.observe;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * What Grafana and the provisioning rely on in the dashboard files, without running anything: their uids, the
 * datasource uids the provisioning defines, exemplars on the delivery latency, and no grouping by a label that
 * could take unbounded values.
 */
class DashboardFilesTest {
    private static final Set<String> DATASOURCES = Set.of("prometheus", "jaeger");
    private static final Set<String> GROUPING_LABELS = Set.of("job", "instance", "le", "type", "outcome", "reason",
            "kind", "operation", "name");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");

    private final List<JsonNode> dashboards = GrafanaDashboards.load(
            PrometheusTools.repositoryRoot().resolve("grafana/dashboards"));

    @Test
    void overviewAndJvmDashboardsKeepTheirUids() {
        List<String> uids = dashboards.stream().map(d -> d.path("uid").asText()).toList();
        assertThat(uids, hasItems("chat-overview", "chat-jvm"));
        assertThat("uids are unique", new TreeSet<>(uids).size(), is(uids.size()));
    }

    @Test
    void everyPanelNamesAProvisionedDatasourceByUid() {
        Set<String> wrong = new TreeSet<>();
        for (JsonNode dashboard : dashboards) {
            for (JsonNode panel : GrafanaDashboards.panels(dashboard)) {
                if (panel.path("type").asText().equals("row") || !panel.has("targets")) {
                    continue;
                }
                check(dashboard, panel, panel.path("datasource"), wrong);
                panel.path("targets").forEach(target -> check(dashboard, panel, target.path("datasource"), wrong));
            }
        }
        assertThat(wrong, is(empty()));
    }

    @Test
    void endToEndDeliveryLatencyShowsExemplars() {
        boolean shown = dashboards.stream()
                .flatMap(d -> GrafanaDashboards.prometheusQueries(d).stream())
                .anyMatch(q -> q.exemplar() && q.expr().contains("chat_delivery_latency_seconds_bucket"));
        assertThat(shown, is(true));
    }

    @Test
    void queriesGroupOnlyByLabelsOfFewValues() {
        Set<String> unbounded = new TreeSet<>();
        for (JsonNode dashboard : dashboards) {
            for (PanelQuery query : GrafanaDashboards.prometheusQueries(dashboard)) {
                Matcher grouping = GROUPING.matcher(query.expr());
                while (grouping.find()) {
                    for (String label : grouping.group(1).split(",")) {
                        if (!label.isBlank() && !GROUPING_LABELS.contains(label.strip())) {
                            unbounded.add(query + ": " + label.strip());
                        }
                    }
                }
            }
        }
        assertThat(unbounded, is(empty()));
    }

    @Test
    void jvmPanelsAreSplitByServiceAndInstance() {
        JsonNode jvm = dashboards.stream().filter(d -> d.path("uid").asText().equals("chat-jvm")).findFirst()
                .orElseThrow();
        List<String> unsplit = GrafanaDashboards.prometheusQueries(jvm).stream()
                .filter(q -> !q.source().startsWith("variable"))
                .filter(q -> !q.expr().contains("$job") || !q.expr().contains("$instance"))
                .map(PanelQuery::toString)
                .toList();
        assertThat(unsplit, is(empty()));
    }

    private static void check(JsonNode dashboard, JsonNode panel, JsonNode datasource, Set<String> wrong) {
        String uid = datasource.path("uid").asText();
        if (!DATASOURCES.contains(uid) || !uid.equals(datasource.path("type").asText())) {
            wrong.add(dashboard.path("uid").asText() + " / " + panel.path("title").asText() + ": " + datasource);
        }
    }
}
