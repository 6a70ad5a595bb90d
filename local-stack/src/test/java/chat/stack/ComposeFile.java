package chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** docker-compose.yml as data, uninterpolated: its services and what each one sets, mounts and listens on. */
final class ComposeFile {

    /** A volume entry: a bind mount when the source is a path, else a named volume. */
    record Mount(String source, String target) {
        boolean bind() {
            return source.startsWith(".") || source.startsWith("/");
        }
    }

    private final Path checkout;
    private final Map<String, Object> root;

    private ComposeFile(Path checkout, Map<String, Object> root) {
        this.checkout = checkout;
        this.root = root;
    }

    static ComposeFile read(Path checkout) throws IOException {
        return new ComposeFile(checkout, new Yaml().load(Files.readString(checkout.resolve("docker-compose.yml"))));
    }

    Set<String> services() {
        return map(root.get("services")).keySet();
    }

    Set<String> namedVolumes() {
        return root.get("volumes") == null ? Set.of() : map(root.get("volumes")).keySet();
    }

    Map<String, Object> service(String name) {
        Object service = map(root.get("services")).get(name);
        assertNotNull(service, "docker-compose.yml has no service " + name);
        return map(service);
    }

    /** The service whose image starts with the given name (nginx, prom/prometheus, grafana/grafana). */
    String serviceWithImage(String image) {
        return services().stream()
                .filter(name -> String.valueOf(service(name).get("image")).startsWith(image + ":"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("docker-compose.yml has no service running " + image));
    }

    Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            entries.stream().map(String::valueOf).map(entry -> entry.split("=", 2))
                    .forEach(pair -> variables.put(pair[0], pair.length > 1 ? pair[1] : ""));
        }
        return variables;
    }

    /** Ports the service's containers listen on: {@code expose}, the container side of {@code ports}, EXPOSE. */
    Set<Integer> containerPorts(String service) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        strings(service(service).get("expose")).forEach(port -> ports.add(port(port)));
        for (String published : strings(service(service).get("ports"))) {
            ports.add(port(published.substring(published.lastIndexOf(':') + 1)));
        }
        Optional<Path> dockerfile = dockerfile(service);
        if (dockerfile.isPresent()) {
            for (Dockerfile.Instruction expose : Dockerfile.read(dockerfile.get()).runtimeStage()) {
                if (expose.keyword().equals("EXPOSE")) {
                    expose.words().forEach(port -> ports.add(port(port)));
                }
            }
        }
        return ports;
    }

    List<String> publishedPorts(String service) {
        return strings(service(service).get("ports"));
    }

    List<Mount> mounts(String service) {
        return strings(service(service).get("volumes")).stream().map(volume -> volume.split(":"))
                .map(parts -> new Mount(parts[0], parts[1]))
                .toList();
    }

    /** The host file behind a path inside the service's containers, through its bind mounts. */
    Optional<Path> hostPath(String service, String containerPath) {
        return mounts(service).stream()
                .filter(Mount::bind)
                .filter(mount -> containerPath.equals(mount.target()) || containerPath.startsWith(mount.target() + "/"))
                .map(mount -> checkout.resolve(mount.source() + containerPath.substring(mount.target().length()))
                        .normalize())
                .findFirst();
    }

    /** The Dockerfile the service is built from, if it is built here. */
    Optional<Path> dockerfile(String service) {
        Object build = service(service).get("build");
        if (build == null) {
            return Optional.empty();
        }
        Map<String, Object> settings = build instanceof Map<?, ?> ? map(build) : Map.of("context", build);
        Path context = checkout.resolve(String.valueOf(settings.get("context"))).normalize();
        return Optional.of(context.resolve(String.valueOf(settings.getOrDefault("dockerfile", "Dockerfile"))));
    }

    /** The services built from a Dockerfile of this checkout: the applications. */
    List<String> builtServices() {
        return services().stream().filter(service -> dockerfile(service).isPresent()).toList();
    }

    /** The Maven module a built service runs: the directory of its Dockerfile. */
    String module(String service) {
        return checkout.relativize(dockerfile(service).orElseThrow().getParent()).toString();
    }

    /** Whether the service has a healthcheck, here or as the HEALTHCHECK of its Dockerfile. */
    boolean healthChecked(String service) throws IOException {
        Optional<Path> dockerfile = dockerfile(service);
        return service(service).containsKey("healthcheck")
               || dockerfile.isPresent() && !Dockerfile.read(dockerfile.get()).all("HEALTHCHECK").isEmpty();
    }

    /** depends_on as service name to condition ({@code service_started} in the short form). */
    Map<String, String> dependsOn(String service) {
        Object dependsOn = service(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(name -> conditions.put(String.valueOf(name), "service_started"));
        } else if (dependsOn instanceof Map<?, ?> entries) {
            entries.forEach((name, settings) -> conditions.put(String.valueOf(name),
                    String.valueOf(map(settings).getOrDefault("condition", "service_started"))));
        }
        return conditions;
    }

    private static int port(String text) {
        return Integer.parseInt(text.replace("\"", "").replaceAll("/(tcp|udp)$", "").trim());
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
