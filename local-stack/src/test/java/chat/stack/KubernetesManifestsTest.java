package chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/kubernetes}: the base, the example overlay and the optional ServiceMonitor component render with
 * {@code kubectl kustomize} into objects the Kubernetes API accepts, and agree with what the applications read from
 * their {@code application.yaml} (ports, drain time, heartbeat, payload size), so that a change there that the
 * manifests do not follow fails here.
 */
class KubernetesManifestsTest {
    /** Time a pod keeps after its drain before the SIGKILL, for the JVM to exit and the last log lines. */
    private static final int SPARE_SECONDS = 5;

    private static Path checkout;
    private static KubernetesManifests base;
    private static KubernetesManifests example;
    private static KubernetesManifests monitored;
    private static KubernetesManifests redisCluster;
    private static DocumentedKeys node;
    private static DocumentedKeys archiver;

    @BeforeAll
    static void render() throws Exception {
        checkout = Path.of("").toAbsolutePath();
        while (!Files.exists(checkout.resolve("mvnw"))) {
            checkout = checkout.getParent();
        }
        ExternalTool kubectl = ExternalTool.require("kubectl", "Debian package kubectl");
        base = KubernetesManifests.render(kubectl, checkout, "base");
        example = KubernetesManifests.render(kubectl, checkout, "overlays/example");
        monitored = KubernetesManifests.render(kubectl, checkout, "overlays/example-monitored");
        redisCluster = KubernetesManifests.render(kubectl, checkout, "overlays/example-redis-cluster");
        node = DocumentedKeys.read(checkout.resolve("chat-node/src/main/resources/application.yaml"));
        archiver = DocumentedKeys.read(checkout.resolve("archiver/src/main/resources/application.yaml"));
    }

    @Test
    void aFieldTheApiDoesNotHaveIsRefused() {
        String misspelled = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          readinesProbe: {httpGet: {path: /, port: 80}}
                """;
        AssertionError refused = assertThrows(AssertionError.class, () -> KubernetesManifests.parse(misspelled));
        assertThat(refused.getMessage(), containsString("readinesProbe"));
    }

    @Test
    void theBaseNeedsNoSecretsNorThePrometheusOperator() {
        assertThat(base.all(Secret.class), is(empty()));
        assertThat(base.all(ServiceMonitor.class), is(empty()));
        assertThat(example.all(ServiceMonitor.class), is(empty()));
    }

    @Test
    void chatNodesAreProbedOnTheManagementPortAndServeOnThePublicOne() {
        Container container = container(example, "chat-node");
        int publicPort = (int) number(node, "server.port");
        int management = (int) number(node, "server.sockets.management.port");
        assertEquals(publicPort, containerPort(container, "http"));
        assertEquals(management, containerPort(container, "management"));

        assertProbe(container, container.getReadinessProbe(), management, "/observe/health/ready");
        assertProbe(container, container.getLivenessProbe(), management, "/observe/health/live");
        assertProbe(container, container.getStartupProbe(), management, "/observe/health/live");

        Service service = example.one(Service.class, "chat-node");
        assertEquals(publicPort, servicePort(service, "http").getPort());
        assertEquals(new IntOrString("http"), servicePort(service, "http").getTargetPort());
        assertEquals(management, servicePort(service, "management").getPort());
        assertEquals(new IntOrString("management"), servicePort(service, "management").getTargetPort());
    }

    @Test
    void aChatNodeDrainsBeforeKubernetesKillsIt() {
        PodSpec pod = example.one(Deployment.class, "chat-node").getSpec().getTemplate().getSpec();
        long graceSeconds = number(node, "chat.shutdown.grace") / 1000;
        Container container = container(example, "chat-node");
        long preStop = container.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat("terminationGracePeriodSeconds covers the preStop pause, chat.shutdown.grace and "
                        + SPARE_SECONDS + " s to spare",
                pod.getTerminationGracePeriodSeconds(), greaterThanOrEqualTo(preStop + graceSeconds + SPARE_SECONDS));
    }

    @Test
    void aChatNodeGetsWhatItGetsInDockerCompose() throws Exception {
        Map<String, Object> compose = ComposeFile.read(checkout).service("chat-node");
        Map<String, Quantity> limits = container(example, "chat-node").getResources().getLimits();
        assertEquals(Quantity.getAmountInBytes(new Quantity(composeDefault(compose.get("mem_limit")) + "i")),
                Quantity.getAmountInBytes(limits.get("memory")), "memory limit, as mem_limit");
        assertEquals(0, new java.math.BigDecimal(composeDefault(compose.get("cpus")))
                .compareTo(Quantity.getAmountInBytes(limits.get("cpu"))), "cpu limit, as cpus");
    }

    @Test
    void everyContainerHasRequestsWithinItsLimits() {
        for (Deployment deployment : example.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, Quantity> requests = container.getResources().getRequests();
                Map<String, Quantity> limits = container.getResources().getLimits();
                for (String resource : List.of("cpu", "memory")) {
                    String what = container.getName() + " " + resource;
                    assertTrue(requests.containsKey(resource) && limits.containsKey(resource), what + " request and limit");
                    assertThat(what, Quantity.getAmountInBytes(requests.get(resource)),
                            lessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource))));
                }
            }
        }
    }

    @Test
    void chatNodesScaleByCpuAndAreEvictedOneAtATime() {
        HorizontalPodAutoscaler autoscaler = example.one(HorizontalPodAutoscaler.class, "chat-node");
        assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
        assertEquals("chat-node", autoscaler.getSpec().getScaleTargetRef().getName());
        assertThat(autoscaler.getSpec().getMinReplicas(), greaterThanOrEqualTo(2));
        assertTrue(autoscaler.getSpec().getMetrics().stream()
                .anyMatch(metric -> metric.getResource() != null && metric.getResource().getName().equals("cpu")));
        assertEquals(null, example.one(Deployment.class, "chat-node").getSpec().getReplicas(),
                "the autoscaler owns the replica count");

        PodDisruptionBudget budget = example.one(PodDisruptionBudget.class, "chat-node");
        assertEquals(new IntOrString(1), budget.getSpec().getMaxUnavailable());
        assertSelects(budget.getSpec().getSelector().getMatchLabels(), example.one(Deployment.class, "chat-node"));
        assertSelects(example.one(Service.class, "chat-node").getSpec().getSelector(),
                example.one(Deployment.class, "chat-node"));
    }

    @Test
    void theIngressOutwaitsTheHeartbeatAndKeepsPollingSessionsOnTheirNode() {
        Ingress ingress = example.one(Ingress.class, "chat-node");
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        long heartbeat = (number(node, "chat.engine.pinginterval") + number(node, "chat.engine.pingtimeout")) / 1000;
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            assertThat(timeout, Long.parseLong(annotations.get("nginx.ingress.kubernetes.io/" + timeout)),
                    greaterThan(heartbeat));
        }
        assertEquals("cookie", annotations.get("nginx.ingress.kubernetes.io/affinity"));
        assertThat("proxy-body-size fits chat.engine.maxpayload",
                nginxSize(annotations.get("nginx.ingress.kubernetes.io/proxy-body-size")),
                greaterThanOrEqualTo(number(node, "chat.engine.maxpayload")));

        IngressBackend backend = ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend();
        assertEquals("chat-node", backend.getService().getName());
        assertEquals("http", backend.getService().getPort().getName(), "the public port, never the management one");
    }

    @Test
    void theArchiverIsProbedOnItsPort() {
        Container container = container(example, "archiver");
        int port = (int) number(archiver, "server.port");
        assertEquals(port, containerPort(container, "http"));
        assertProbe(container, container.getReadinessProbe(), port, "/observe/health/ready");
        assertProbe(container, container.getLivenessProbe(), port, "/observe/health/live");
        assertEquals(port, servicePort(example.one(Service.class, "archiver"), "http").getPort());
    }

    @Test
    void everySecretAContainerReadsIsInTheExampleWithClearlyMarkedValues() throws Exception {
        Set<String> provided = new HashSet<>();
        for (Secret secret : example.all(Secret.class)) {
            secret.getData().keySet().forEach(key -> provided.add(secret.getMetadata().getName() + "/" + key));
        }
        for (Deployment deployment : example.all(Deployment.class)) {
            for (EnvVar variable : deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()) {
                if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                    var reference = variable.getValueFrom().getSecretKeyRef();
                    assertThat(variable.getName(), reference.getName() + "/" + reference.getKey(), isIn(provided));
                }
            }
        }
        String overlay = Files.readString(checkout.resolve("deploy/kubernetes/overlays/example/kustomization.yaml"));
        assertThat(overlay, containsString("EXAMPLE VALUES ONLY"));
        assertThat(overlay, containsString("jwt-secret=EXAMPLE-ONLY"));
    }

    @Test
    void everyVariableTheContainersGetIsASettingTheApplicationReads() {
        Map<String, DocumentedKeys> settings = Map.of("chat-node", node, "archiver", archiver);
        for (Deployment deployment : example.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            for (EnvVar variable : container(example, name).getEnv()) {
                assertTrue(settings.get(name).readsEnvironmentVariable(variable.getName()),
                        name + " does not read " + variable.getName());
            }
        }
    }

    @Test
    void theRedisClusterExampleGivesTheNodesSeedsFromItsSecretAndWaitsForAReplica() {
        Map<String, EnvVar> env = container(redisCluster, "chat-node").getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, variable -> variable));
        var seeds = env.get("CHAT_REDIS_CLUSTER").getValueFrom().getSecretKeyRef();
        Secret connections = redisCluster.all(Secret.class).stream()
                .filter(secret -> secret.getMetadata().getName().equals(seeds.getName()))
                .findFirst().orElseThrow();
        assertTrue(connections.getData().containsKey(seeds.getKey()), "the Secret holds " + seeds.getKey());
        assertTrue(connections.getData().containsKey("redis-url"), "merged into the example's Secret, not replacing it");
        assertEquals("1", env.get("CHAT_REDIS_REPLICAS").getValue());
        for (String name : env.keySet()) {
            assertTrue(node.readsEnvironmentVariable(name), "chat-node does not read " + name);
        }
    }

    @Test
    void serviceMonitorsScrapeTheMetricsPortsOfTheServicesTheySelect() {
        List<ServiceMonitor> monitors = monitored.all(ServiceMonitor.class);
        assertEquals(Set.of("chat-node", "archiver"),
                monitors.stream().map(monitor -> monitor.getMetadata().getName()).collect(Collectors.toSet()));
        for (ServiceMonitor monitor : monitors) {
            Service service = monitored.one(Service.class, monitor.getMetadata().getName());
            Map<String, String> selector = monitor.getSpec().selector().getMatchLabels();
            assertTrue(service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                    monitor.getMetadata().getName() + " selects its Service");
            var endpoint = monitor.getSpec().endpoints().getFirst();
            assertEquals("/observe/metrics", endpoint.path());
            servicePort(service, endpoint.port());
        }
        assertEquals("management", monitors.stream().filter(m -> m.getMetadata().getName().equals("chat-node"))
                .findFirst().orElseThrow().getSpec().endpoints().getFirst().port());
    }

    private static void assertProbe(Container container, Probe probe, int port, String path) {
        assertTrue(probe != null && probe.getHttpGet() != null, container.getName() + " probe on " + path);
        assertEquals(path, probe.getHttpGet().getPath());
        IntOrString target = probe.getHttpGet().getPort();
        int resolved = target.getIntVal() != null ? target.getIntVal() : containerPort(container, target.getStrVal());
        assertEquals(port, resolved, container.getName() + " probes " + path + " on port " + port);
    }

    private static void assertSelects(Map<String, String> selector, Deployment deployment) {
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(selector.entrySet()), selector + " selects the pods of "
                + deployment.getMetadata().getName());
    }

    private static Container container(KubernetesManifests manifests, String deployment) {
        return manifests.one(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers()
                .getFirst();
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(port -> name.equals(port.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name));
    }

    private static ServicePort servicePort(Service service, String name) {
        return service.getSpec().getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " has no port named " + name));
    }

    private static long number(DocumentedKeys keys, String key) {
        return Long.parseLong(String.valueOf(keys.value(key).orElseThrow(() -> new AssertionError("no " + key))));
    }

    /** Bytes of an nginx size: {@code 1m} is 1 MiB, as Kubernetes' {@code 1Mi}. */
    private static long nginxSize(String size) {
        String unit = size.replaceAll("^[0-9]+", "");
        return Quantity.getAmountInBytes(new Quantity(size.replaceAll("[a-zA-Z]$", "")
                + (unit.isEmpty() ? "" : unit.toUpperCase(java.util.Locale.ROOT) + "i"))).longValue();
    }

    /** The default of {@code ${VARIABLE:-default}}, upper-cased for Kubernetes' suffixes (1g is 1Gi). */
    private static String composeDefault(Object value) {
        String text = String.valueOf(value);
        String fallback = text.contains(":-") ? text.substring(text.indexOf(":-") + 2, text.indexOf('}')) : text;
        return fallback.toUpperCase(java.util.Locale.ROOT).replace("I", "");
    }
}
