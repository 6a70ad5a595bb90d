package chat.node.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The dashboards of {@code grafana/dashboards/}, as Grafana reads them, and the Prometheus queries in them.
 */
final class GrafanaDashboards {
    static final String PROMETHEUS_UID = "prometheus";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaDashboards() {
    }

    /** Every dashboard file of the folder, parsed. */
    static List<JsonNode> load(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<JsonNode> dashboards = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(JSON.readTree(file.toFile()));
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dashboards in " + folder, e);
        }
    }

    /** Every panel of the dashboard, rows' panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The Prometheus queries of the dashboard: its panels' targets and its template variables' queries. */
    static List<PanelQuery> prometheusQueries(JsonNode dashboard) {
        String uid = dashboard.path("uid").asText();
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                if (isPrometheus(target.path("datasource").isMissingNode() ? panel.path("datasource")
                        : target.path("datasource")) && target.hasNonNull("expr")) {
                    queries.add(new PanelQuery(uid, panel.path("title").asText() + " [" + target.path("refId").asText()
                            + "]", target.path("expr").asText(), target.path("exemplar").asBoolean(false)));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText()) && isPrometheus(variable.path("datasource"))) {
                JsonNode query = variable.path("query");
                queries.add(new PanelQuery(uid, "variable $" + variable.path("name").asText(),
                        query.isTextual() ? query.asText() : query.path("query").asText(), false));
            }
        }
        return queries;
    }

    static boolean isPrometheus(JsonNode datasource) {
        return PROMETHEUS_UID.equals(datasource.path("uid").asText());
    }
}
