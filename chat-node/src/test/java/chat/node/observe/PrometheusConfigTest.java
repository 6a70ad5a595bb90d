package chat.node.observe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code promtool check config} accepts the repository's {@code prometheus.yml}, and the configuration the
 * dashboard test derives from it.
 */
class PrometheusConfigTest {

    @Test
    void promtoolAcceptsTheRepositoryConfiguration() throws Exception {
        Path promtool = PrometheusTools.require(PrometheusTools.PROMTOOL);
        assertPromtoolAccepts(promtool, PrometheusTools.repositoryRoot().resolve("prometheus.yml"));
    }

    @Test
    void promtoolAcceptsTheLocalConfigurationDerivedFromIt() throws Exception {
        Path promtool = PrometheusTools.require(PrometheusTools.PROMTOOL);
        String local = PrometheusServer.localConfig(
                Files.readString(PrometheusTools.repositoryRoot().resolve("prometheus.yml")),
                Map.of("chat-node", List.of("127.0.0.1:8081", "127.0.0.1:8082"),
                        "archiver", List.of("127.0.0.1:8090")));
        Path file = Files.createTempFile("prometheus-", ".yml");
        try {
            Files.writeString(file, local);
            assertPromtoolAccepts(promtool, file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertPromtoolAccepts(Path promtool, Path config) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(promtool.toString(), "check", "config", config.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("promtool check config " + config + ":\n" + output, check.waitFor(), is(0));
    }
}
