package chat.archiver;

import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import chat.common.telemetry.Tracing;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Starts the archiver service: the Kafka-to-PostgreSQL archiver, with health and metrics under {@code /observe}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        WebServerConfig.Builder server = WebServer.builder();
        setup(server, config);
        WebServer started = server.build().start();
        System.Logger log = System.getLogger(Main.class.getName());
        if (!started.isRunning() || started.port() <= 0) {
            // Consuming without health or metrics would be an archiver nobody can watch: better not to run.
            log.log(System.Logger.Level.ERROR, "could not listen on port " + config.get("server.port").asInt()
                    .orElse(8090) + "; exiting");
            System.exit(1);
        }
        log.log(System.Logger.Level.INFO,
                "Archiver up, health and metrics on http://localhost:{0,number,#}/observe", started.port());
    }

    /** Wires the whole service onto the server builder; tests build the very same server. */
    public static void setup(WebServerConfig.Builder server, Config config) {
        ArchiverSettings settings = ArchiverSettings.from(config.get("chat"));
        setup(server, config, Tracing.start("archiver", settings.tracing().endpoint(), settings.tracing().ratio()));
    }

    /** Wires the service with the given OpenTelemetry (tests pass one that records spans in memory). */
    public static void setup(WebServerConfig.Builder server, Config config, OpenTelemetry telemetry) {
        ArchiverSettings settings = ArchiverSettings.from(config.get("chat"));
        Archiver archiver = new Archiver(settings, new ArchiverMetrics(Metrics.globalRegistry()),
                new ArchiverTracing(telemetry));
        server.config(config.get("server"))
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(archiver.readiness())
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(routing -> routing.addFeature(archiver));
    }
}
