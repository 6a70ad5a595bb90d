package chat.node.observe;

import chat.node.support.MissingTool;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Prometheus binaries and the repository's observability files are. The binaries come from Debian's
 * {@code prometheus} package, which {@code .ci/run} installs: in CI their absence fails the test, elsewhere it
 * aborts it, loudly.
 */
final class PrometheusTools {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private PrometheusTools() {
    }

    /** The binary, or the test ends here: failed in CI, aborted elsewhere. */
    static Path require(Path binary) {
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String reason = binary + " is missing: install Debian's prometheus package (apt-get install -y prometheus),"
                + " as .ci/run does";
        MissingTool.abortOrFail(reason + "; the dashboard and Prometheus configuration tests did not run");
        return binary;
    }

    /** The repository's root: the nearest folder above the working directory holding {@code prometheus.yml}. */
    static Path repositoryRoot() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("prometheus.yml")) && Files.isDirectory(folder.resolve("grafana"))) {
                return folder;
            }
        }
        throw new AssertionError("no prometheus.yml and grafana/ above " + Path.of("").toAbsolutePath());
    }
}
