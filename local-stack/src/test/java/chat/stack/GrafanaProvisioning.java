package chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/** Grafana's provisioning directory as data: the datasources and dashboard providers its YAML files declare. */
record GrafanaProvisioning(Path directory) {

    List<Map<String, Object>> datasources() throws IOException {
        return entries("datasources", "datasources");
    }

    /** Where inside the Grafana container the file providers read dashboards from. */
    List<String> dashboardPaths() throws IOException {
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> provider : entries("dashboards", "providers")) {
            paths.add(String.valueOf(((Map<?, ?>) provider.get("options")).get("path")));
        }
        return paths;
    }

    /** The datasource uids a dashboard names, leaving out Grafana's own and template variables. */
    static Set<String> datasourceUids(Path dashboard) throws IOException {
        return datasourceUids((Object) new Yaml().load(Files.readString(dashboard)));
    }

    private static Set<String> datasourceUids(Object node) {
        Set<String> uids = new HashSet<>();
        if (node instanceof Map<?, ?> map) {
            if (map.get("datasource") instanceof Map<?, ?> datasource && datasource.get("uid") instanceof String uid
                && !uid.startsWith("$") && !uid.startsWith("-- ") && !uid.equals("grafana")) {
                uids.add(uid);
            }
            map.values().forEach(value -> uids.addAll(datasourceUids(value)));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> uids.addAll(datasourceUids(value)));
        }
        return uids;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(String subdirectory, String key) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory.resolve(subdirectory))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
                Map<String, Object> content = new Yaml().load(Files.readString(file));
                found.addAll((List<Map<String, Object>>) content.getOrDefault(key, List.of()));
            }
        }
        return found;
    }
}
