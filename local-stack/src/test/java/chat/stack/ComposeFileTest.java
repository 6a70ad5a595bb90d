package chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container stack, checked without a Docker engine: docker-compose.yml, the Dockerfiles, the load balancer,
 * Prometheus and Grafana files agree with each other and with what the applications read, and the tools that
 * own each format (docker-compose, nginx, promtool) accept them.
 */
class ComposeFileTest {
    /** Read by the OpenTelemetry SDK's autoconfiguration (chat.common.telemetry.Tracing), not by Helidon. */
    private static final Set<String> OPENTELEMETRY_VARIABLES = Set.of("OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER", "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS");
    /** host:port in a setting: {@code kafka:9092}, {@code redis://redis:6379}, {@code jdbc:postgresql://db:5432/x}. */
    private static final Pattern ADDRESS = Pattern.compile("(?:^|//|,)([a-z][a-z0-9-]*):(\\d+)");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*server\\s+)([a-z][a-z0-9.-]*):(\\d+)");

    private static Path checkout;
    private static ComposeFile compose;
    private static Reactor reactor;

    @BeforeAll
    static void readTheStack() throws Exception {
        checkout = Path.of("").toAbsolutePath();
        while (!Files.exists(checkout.resolve("mvnw"))) {
            checkout = checkout.getParent();
        }
        compose = ComposeFile.read(checkout);
        reactor = Reactor.read(checkout);
    }

    @Test
    void dockerComposeAcceptsTheFileWithTheSettingsOfEnvExample() throws Exception {
        ExternalTool dockerCompose = ExternalTool.require("docker-compose", "Debian package docker-compose");
        ExternalTool.Run check = dockerCompose.run(checkout, "--env-file", ".env.example", "config", "--quiet");
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void everyVariableTheComposeFileTakesIsListedInEnvExample() throws IOException {
        Set<String> listed = new HashSet<>();
        Files.readAllLines(checkout.resolve(".env.example")).stream()
                .filter(line -> line.matches("[A-Z][A-Z0-9_]*=.*"))
                .forEach(line -> listed.add(line.substring(0, line.indexOf('='))));
        Matcher variable = Pattern.compile("(?<!\\$)\\$\\{([A-Z][A-Z0-9_]*)")
                .matcher(Files.readString(checkout.resolve("docker-compose.yml")));
        List<String> missing = new ArrayList<>();
        while (variable.find()) {
            if (!listed.contains(variable.group(1))) {
                missing.add(variable.group(1));
            }
        }
        assertThat("variables of docker-compose.yml missing from .env.example", missing, is(empty()));
    }

    @Test
    void chatNodesAndArchiverAreConfiguredOnlyByVariablesTheyRead() throws Exception {
        for (String service : compose.builtServices()) {
            String module = compose.module(service);
            DocumentedKeys keys = DocumentedKeys.read(applicationYaml(module));
            for (String variable : compose.environment(service).keySet()) {
                boolean read = variable.startsWith("OTEL_")
                        ? OPENTELEMETRY_VARIABLES.contains(variable)
                          && reactor.runsWith(module, "opentelemetry-sdk-extension-autoconfigure")
                        : keys.readsEnvironmentVariable(variable);
                assertTrue(read, service + " is given " + variable + " (" + DocumentedKeys.configKey(variable)
                        + "), which " + module + " does not read: not in its application.yaml");
            }
        }
    }

    @Test
    void addressesInTheServicesSettingsAreComposeServicesOnTheirPorts() throws IOException {
        for (String service : compose.services()) {
            for (Map.Entry<String, String> variable : compose.environment(service).entrySet()) {
                String value = variable.getValue().replaceAll("\\$\\{[^:}]*:-([^}]*)}", "$1");
                Matcher address = ADDRESS.matcher(value);
                while (address.find()) {
                    String where = service + " " + variable.getKey();
                    assertListens(address.group(1), Integer.parseInt(address.group(2)), where);
                }
            }
        }
    }

    @Test
    void chatNodesCanBeScaledAndHaveACpuLimit() {
        Map<String, Object> chatNode = compose.service("chat-node");
        assertThat("a published port or a fixed name stops --scale", chatNode.keySet(),
                everyItem(is(not(isIn(List.of("ports", "container_name"))))));
        assertTrue(chatNode.containsKey("cpus"), "chat-node replicas need a CPU limit a scaling run can mirror");
    }

    @Test
    void loadBalancerSpreadsWebSocketsOverEveryReplicaAndKeepsPollingSessionsOnOne() throws IOException {
        String config = Files.readString(loadBalancerConfig());
        Map<String, String> upstreams = new HashMap<>();
        Matcher upstream = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}").matcher(config);
        while (upstream.find()) {
            upstreams.put(upstream.group(1), upstream.group(2));
            Matcher server = UPSTREAM_SERVER.matcher(upstream.group(2));
            assertTrue(server.find(), "upstream " + upstream.group(1) + " has no server");
            do {
                assertListens(server.group(2), Integer.parseInt(server.group(3)), "upstream " + upstream.group(1));
            } while (server.find());
        }
        assertThat("Docker's DNS, which knows every replica", config, containsString("resolver 127.0.0.11"));

        Matcher map = Pattern.compile("map\\s+\"\\$arg_transport:\\$arg_sid\"\\s+\\$(\\w+)\\s*\\{([^}]*)}")
                .matcher(config);
        assertTrue(map.find(), "nginx.conf picks no upstream by Engine.IO transport and session");
        assertThat(config, containsString("proxy_pass http://$" + map.group(1) + ";"));
        Map<String, String> routes = new HashMap<>();
        Matcher route = Pattern.compile("(\\S+)\\s+(\\w+);").matcher(map.group(2));
        while (route.find()) {
            routes.put(route.group(1).replace("\"", ""), route.group(2));
        }
        assertThat(upstreams.get(routes.get("default")), containsString("server chat-node:"));
        assertThat("a fresh WebSocket goes round robin", upstreams.get(routes.get("default")),
                not(containsString("hash")));
        assertThat("polling sticks to a node", upstreams.get(routes.get("~^polling:")),
                containsString("hash $remote_addr consistent;"));

        String lb = compose.serviceWithImage("nginx");
        Matcher listen = Pattern.compile("listen\\s+(\\d+)").matcher(config);
        assertTrue(listen.find(), "nginx.conf listens nowhere");
        assertThat(compose.publishedPorts(lb), hasItem(endsWith(":" + listen.group(1))));
    }

    @Test
    void nodeHealthAndMetricsGoThroughTheManagementPortWhichTheLoadBalancerDoesNotServe() throws IOException {
        int management = (int) number(DocumentedKeys.read(applicationYaml("chat-node"))
                .value("server.sockets.management.port"));
        Map<String, Object> config = new Yaml().load(Files.readString(checkout.resolve("prometheus.yml")));
        List<Object> nodePorts = list(config.get("scrape_configs")).stream()
                .filter(job -> "chat-node".equals(job.get("job_name")))
                .flatMap(job -> list(job.get("dns_sd_configs")).stream())
                .map(dns -> dns.get("port")).toList();
        assertThat("Prometheus scrapes the nodes' management port", nodePorts, contains((Object) management));
        Dockerfile dockerfile = Dockerfile.read(compose.dockerfile("chat-node").orElseThrow());
        assertThat(dockerfile.runtimeStage().toString(), containsString("SERVER_SOCKETS_MANAGEMENT_PORT:-" + management
                + "}/observe/health/ready"));
        String nginx = Files.readString(loadBalancerConfig());
        assertThat("nginx answers /observe itself", nginx,
                containsString("location /observe {\n            return 404;"));
        assertThat(compose.publishedPorts("chat-node"), is(empty()));
    }

    @Test
    void loadBalancerWaitsLongerThanTheEngineIoHeartbeat() throws IOException {
        DocumentedKeys node = DocumentedKeys.read(applicationYaml("chat-node"));
        long heartbeatMillis = number(node.value("chat.engine.pinginterval"))
                + number(node.value("chat.engine.pingtimeout"));
        String config = Files.readString(loadBalancerConfig());
        for (String timeout : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            Matcher seconds = Pattern.compile(timeout + "\\s+(\\d+)s;").matcher(config);
            assertTrue(seconds.find(), "nginx.conf sets no " + timeout + " in seconds");
            assertThat(timeout, Long.parseLong(seconds.group(1)) * 1000, greaterThan(heartbeatMillis));
        }
    }

    @Test
    void nginxAcceptsTheLoadBalancerConfig(@TempDir Path temp) throws Exception {
        ExternalTool nginx = ExternalTool.require("nginx", "Debian package nginx-light");
        // Compose service names resolve only inside the stack; nginx -t resolves upstream hosts at once.
        String config = UPSTREAM_SERVER.matcher(Files.readString(loadBalancerConfig())).replaceAll("$1127.0.0.1:$3");
        if (!supportsUpstreamResolve(nginx.run(temp, "-v").output())) {
            // `resolve` on an upstream server came with nginx 1.27.3; the image runs a newer nginx than this host.
            config = config.replaceAll("(?m)^(\\s*server\\s+\\S+.*?)\\s+resolve;", "$1;");
        }
        Path copy = Files.writeString(temp.resolve("nginx.conf"), config);
        ExternalTool.Run test = nginx.run(temp, "-t", "-p", temp.toString(), "-c", copy.toString(),
                "-g", "pid " + temp.resolve("nginx.pid") + "; error_log " + temp.resolve("error.log") + ";");
        assertEquals(0, test.exitCode(), test.output());
    }

    @Test
    void prometheusScrapesEveryServiceBuiltHereAndEveryChatNodeReplica() throws Exception {
        String prometheus = compose.serviceWithImage("prom/prometheus");
        List<String> command = ((List<?>) compose.service(prometheus).get("command")).stream()
                .map(String::valueOf).toList();
        assertThat(command, hasItem("--enable-feature=exemplar-storage"));
        String configFile = command.stream().filter(word -> word.startsWith("--config.file=")).findFirst()
                .orElseThrow();
        assertEquals(Optional.of(checkout.resolve("prometheus.yml")),
                compose.hostPath(prometheus, configFile.substring(configFile.indexOf('=') + 1)));

        Set<String> scraped = new HashSet<>();
        Set<String> discovered = new HashSet<>();
        Map<String, Object> config = new Yaml().load(Files.readString(checkout.resolve("prometheus.yml")));
        for (Map<String, Object> job : list(config.get("scrape_configs"))) {
            assertEquals("/observe/metrics", job.get("metrics_path"), "metrics_path of job " + job.get("job_name"));
            for (Map<String, Object> dns : list(job.get("dns_sd_configs"))) {
                for (Object name : (List<?>) dns.get("names")) {
                    String service = String.valueOf(name).replaceFirst("^tasks\\.", "");
                    assertListens(service, (int) number(Optional.of(dns.get("port"))), "Prometheus DNS discovery");
                    discovered.add(service);
                }
            }
            for (Map<String, Object> targets : list(job.get("static_configs"))) {
                for (Object target : (List<?>) targets.get("targets")) {
                    String[] hostPort = String.valueOf(target).split(":");
                    assertListens(hostPort[0], Integer.parseInt(hostPort[1]), "Prometheus target");
                    scraped.add(hostPort[0]);
                }
            }
        }
        scraped.addAll(discovered);
        assertThat(scraped, hasItems(compose.builtServices().toArray(String[]::new)));
        assertThat("every replica, found by DNS", discovered, hasItem("chat-node"));
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool", "Debian package prometheus");
        ExternalTool.Run check = promtool.run(checkout, "check", "config", "prometheus.yml");
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void grafanaDatasourcesAreComposeServicesAndExemplarsLinkToJaeger() throws IOException {
        Set<String> uids = new HashSet<>();
        List<String> exemplarTargets = new ArrayList<>();
        for (Map<String, Object> source : grafanaProvisioning().datasources()) {
            uids.add(String.valueOf(source.get("uid")));
            Matcher url = Pattern.compile("//([a-z][a-z0-9-]*):(\\d+)").matcher(String.valueOf(source.get("url")));
            assertTrue(url.find(), "datasource " + source.get("name") + " has no http://service:port url");
            assertListens(url.group(1), Integer.parseInt(url.group(2)), "Grafana datasource " + source.get("name"));
            Map<?, ?> jsonData = (Map<?, ?>) source.getOrDefault("jsonData", Map.of());
            list(jsonData.get("exemplarTraceIdDestinations"))
                    .forEach(destination -> exemplarTargets.add(String.valueOf(destination.get("datasourceUid"))));
        }
        assertThat(uids, hasItems("prometheus", "jaeger"));
        assertThat("exemplar links", exemplarTargets, contains("jaeger"));
    }

    @Test
    void grafanaLoadsDashboardsFromMountedFilesThatNameProvisionedDatasources() throws IOException {
        String grafana = compose.serviceWithImage("grafana/grafana");
        GrafanaProvisioning provisioning = grafanaProvisioning();
        Set<String> uids = new HashSet<>();
        provisioning.datasources().forEach(source -> uids.add(String.valueOf(source.get("uid"))));
        List<String> paths = provisioning.dashboardPaths();
        assertFalse(paths.isEmpty(), "no dashboard provider");
        for (String path : paths) {
            Path dashboards = compose.hostPath(grafana, path)
                    .orElseThrow(() -> new AssertionError(path + " is not mounted"));
            assertTrue(Files.isDirectory(dashboards), dashboards + " does not exist");
            try (Stream<Path> files = Files.list(dashboards)) {
                for (Path dashboard : files.filter(file -> file.toString().endsWith(".json")).toList()) {
                    assertThat(dashboard + " names datasources", GrafanaProvisioning.datasourceUids(dashboard),
                            everyItem(is(isIn(uids))));
                }
            }
        }
        String home = compose.environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(compose.hostPath(grafana, home).map(Files::isRegularFile).orElse(false), "home dashboard " + home);
    }

    @Test
    void dockerfilesBuildTheirModuleFromFilesOfTheBuildContext() throws Exception {
        DockerIgnore ignore = DockerIgnore.read(checkout);
        for (String service : compose.builtServices()) {
            Dockerfile dockerfile = Dockerfile.read(compose.dockerfile(service).orElseThrow());
            String module = compose.module(service);
            String file = checkout.relativize(dockerfile.file()).toString();
            assertThat(module + " in the root pom", module, isIn(reactor.modules()));

            List<String> sources = dockerfile.contextSources();
            for (String source : sources) {
                assertTrue(Files.exists(checkout.resolve(source)), file + " copies " + source + ", which is missing");
                assertFalse(ignore.drops(source), file + " copies " + source + ", which .dockerignore leaves out");
            }
            for (String reactorModule : reactor.modules()) {
                assertThat(file + ": Maven reads every module's pom", sources, hasItem(reactorModule + "/pom.xml"));
            }
            for (String built : reactor.modulesBuiltWith(module)) {
                assertThat(file + ": -am builds " + built, sources, hasItem(built + "/src/"));
            }
            String build = dockerfile.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList().toString();
            assertThat(build, containsString("-pl " + module + " -am package"));
        }
    }

    @Test
    void imagesRunTheirJarAsANonRootUserWithHealthAndContainerAwareMemory() throws Exception {
        for (String service : compose.builtServices()) {
            Dockerfile dockerfile = Dockerfile.read(compose.dockerfile(service).orElseThrow());
            String module = compose.module(service);
            String runtime = dockerfile.runtimeStage().toString();
            assertThat(runtime, containsString("/" + module + "/target/" + module + ".jar"));
            assertThat(runtime, containsString("/" + module + "/target/libs/"));
            assertThat(runtime, containsString("/observe/health/ready"));
            assertThat(runtime, containsString("-XX:MaxRAMPercentage="));
            assertThat(runtime, containsString("-XX:+ExitOnOutOfMemoryError"));
            List<String> users = dockerfile.runtimeStage().stream()
                    .filter(instruction -> instruction.keyword().equals("USER"))
                    .map(Dockerfile.Instruction::arguments).toList();
            assertFalse(users.isEmpty() || users.getLast().matches("root|0(:.*)?"), module + " runs as root");
            int port = (int) number(DocumentedKeys.read(applicationYaml(module)).value("server.port"));
            assertThat(module + " image exposes server.port", compose.containerPorts(service), hasItem(port));
        }
    }

    @Test
    void servicesOthersWaitForAreHealthCheckedAndMountsExist() throws IOException {
        for (String service : compose.services()) {
            for (Map.Entry<String, String> dependency : compose.dependsOn(service).entrySet()) {
                assertThat(service + " waits for a service", dependency.getKey(), isIn(compose.services()));
                if (dependency.getValue().equals("service_healthy")) {
                    assertTrue(compose.healthChecked(dependency.getKey()),
                            service + " waits for " + dependency.getKey() + " to be healthy, which has no healthcheck");
                }
            }
            for (ComposeFile.Mount mount : compose.mounts(service)) {
                if (mount.bind()) {
                    assertTrue(Files.exists(checkout.resolve(mount.source())), service + " mounts " + mount.source());
                } else {
                    assertThat(service + " mounts a named volume", mount.source(), isIn(compose.namedVolumes()));
                }
            }
        }
    }

    private static Path applicationYaml(String module) {
        return checkout.resolve(module).resolve("src/main/resources/application.yaml");
    }

    private static Path loadBalancerConfig() {
        return compose.hostPath(compose.serviceWithImage("nginx"), "/etc/nginx/nginx.conf").orElseThrow();
    }

    private static GrafanaProvisioning grafanaProvisioning() {
        String grafana = compose.serviceWithImage("grafana/grafana");
        return new GrafanaProvisioning(compose.hostPath(grafana, "/etc/grafana/provisioning").orElseThrow());
    }

    private static void assertListens(String service, int port, String where) throws IOException {
        assertThat(where + " names " + service, service, isIn(compose.services()));
        assertThat(where + " uses a port of " + service, port, isIn(compose.containerPorts(service)));
    }

    private static boolean supportsUpstreamResolve(String nginxVersion) {
        Matcher version = Pattern.compile("nginx/(\\d+)\\.(\\d+)\\.(\\d+)").matcher(nginxVersion);
        if (!version.find()) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        return major > 1 || minor > 27 || minor == 27 && Integer.parseInt(version.group(3)) >= 3;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    private static long number(Optional<Object> value) {
        return Long.parseLong(String.valueOf(value.orElseThrow()));
    }
}
