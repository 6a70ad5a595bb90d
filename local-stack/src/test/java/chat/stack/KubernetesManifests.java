package chat.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The objects {@code kubectl kustomize} renders from a folder of {@code deploy/kubernetes}, each read into its class
 * of the fabric8 Kubernetes model strictly: a field the API does not have (a typo, a field at the wrong level)
 * fails, as an unknown kind or apiVersion does.
 */
record KubernetesManifests(List<HasMetadata> objects) {
    /** The kinds the manifests may hold, by apiVersion and kind; anything else is a mistake. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    /**
     * The model's classes keep unknown fields in a map ({@code @JsonAnySetter}); without that, Jackson's
     * FAIL_ON_UNKNOWN_PROPERTIES refuses them.
     */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
                    return false;
                }
            })
            .build();

    /** Renders the folder (relative to {@code deploy/kubernetes}) and parses every object of it. */
    static KubernetesManifests render(ExternalTool kubectl, Path checkout, String folder) throws Exception {
        Path kustomization = checkout.resolve("deploy/kubernetes").resolve(folder);
        ExternalTool.Run render = kubectl.run(checkout, "kustomize", kustomization.toString());
        assertEquals(0, render.exitCode(), "kubectl kustomize " + folder + ":\n" + render.output());
        return parse(render.output());
    }

    static KubernetesManifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            Map<?, ?> object = (Map<?, ?>) document;
            String type = object.get("apiVersion") + "/" + object.get("kind");
            Class<? extends HasMetadata> modelClass = KINDS.get(type);
            if (modelClass == null) {
                fail("an object of unexpected kind " + type + ": " + object.get("metadata"));
            }
            try {
                objects.add(STRICT.convertValue(object, modelClass));
            } catch (RuntimeException e) {
                throw new AssertionError(type + " " + object.get("metadata") + " is not a valid object: "
                        + e.getMessage(), e);
            }
        }
        return new KubernetesManifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind, String name) {
        return all(kind).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }
}
