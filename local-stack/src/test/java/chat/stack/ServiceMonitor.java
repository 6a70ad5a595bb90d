package chat.stack;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The Prometheus operator's {@code monitoring.coreos.com/v1} ServiceMonitor, as far as
 * {@code deploy/kubernetes/components/service-monitor} uses it. fabric8's model of it (openshift-model-monitoring)
 * is not available at the model's version, so this holds the fields in use: any other field fails the strict read,
 * and whoever adds one adds it here after checking the operator's CRD.
 */
// HasMetadata says to read any kind the model does not know as a GenericKubernetesResource; this class is read as itself.
@JsonDeserialize(using = ValueDeserializer.None.class)
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
final class ServiceMonitor implements HasMetadata {
    private String apiVersion;
    private String kind;
    private ObjectMeta metadata;
    private Spec spec;

    /** What a ServiceMonitor scrapes: the Services its selector matches, on the named ports of its endpoints. */
    record Spec(LabelSelector selector, List<Endpoint> endpoints) {
    }

    /** One port of the selected Services, scraped at {@code path} every {@code interval}. */
    record Endpoint(String port, String path, String interval) {
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }
}
