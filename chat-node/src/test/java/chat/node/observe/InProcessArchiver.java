package chat.node.observe;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The archiver running in this JVM beside the nodes, wired by its own {@code Main.setup} on a server of its own,
 * so that Prometheus scrapes its {@code /observe/metrics} as the {@code archiver} job. The meters live in the JVM's
 * one global registry: its scrape shows the nodes' meters too, as theirs show its.
 */
final class InProcessArchiver implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebServer server;

    private InProcessArchiver(WebServer server) {
        this.server = server;
    }

    /**
     * @param overrides {@code chat.*} settings on top of the archiver's own application.yaml (topics, group,
     *                  database)
     */
    static InProcessArchiver start(String kafkaBootstrap, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("chat.kafka.bootstrap", kafkaBootstrap);
        Config config = Config.builder()
                .sources(ConfigSources.create(settings), ConfigSources.url(archiverDefaults()))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        WebServerConfig.Builder builder = WebServer.builder();
        chat.archiver.Main.setup(builder, config);
        return new InProcessArchiver(builder.build().start());
    }

    int port() {
        return server.port();
    }

    /** Whether {@code /observe/health/ready} says up: PostgreSQL migrated and reachable, the consumer polling. */
    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                            + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * The archiver's application.yaml, from its own jar or classes: the test classpath has the node's file of the
     * same name first.
     */
    private static URL archiverDefaults() {
        try {
            URL location = chat.archiver.Main.class.getProtectionDomain().getCodeSource().getLocation();
            String base = location.toString();
            return base.endsWith(".jar") ? URI.create("jar:" + base + "!/application.yaml").toURL()
                    : location.toURI().resolve("application.yaml").toURL();
        } catch (MalformedURLException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the archiver's application.yaml", e);
        }
    }
}
