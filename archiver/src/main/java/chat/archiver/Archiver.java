package chat.archiver;

import chat.archiver.consume.ArchiveLoop;
import chat.archiver.store.Database;
import chat.archiver.telemetry.ArchiverMetrics;
import chat.archiver.telemetry.ArchiverTracing;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * The archiver: consumes chat messages and connection events from Kafka and writes them, exactly once, into
 * PostgreSQL. Registered on the web server's routing so that it starts and stops with the server; it serves no
 * routes of its own, only the readiness check.
 */
public final class Archiver implements HttpFeature, AutoCloseable {

    private final Database database;
    private final ArchiveLoop loop;

    public Archiver(ArchiverSettings settings, ArchiverMetrics metrics, ArchiverTracing tracing) {
        this.database = Database.open(settings.db());
        this.loop = new ArchiveLoop(settings, database, metrics, tracing);
    }

    /** Starts consuming; returns at once, while the loop waits for PostgreSQL and Kafka if they are not up yet. */
    public void start() {
        loop.start();
    }

    /** Ready when PostgreSQL answers and the consumer is in its group. */
    public boolean ready() {
        return loop.polling() && database.reachable();
    }

    /** The readiness check for {@code /observe/health/ready}. */
    public HealthCheck readiness() {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "archiver";
            }

            @Override
            public HealthCheckResponse call() {
                boolean consuming = loop.polling();
                boolean database = Archiver.this.database.reachable();
                return HealthCheckResponse.builder()
                        .status(consuming && database)
                        .detail("consumer", consuming ? "running" : "stopped")
                        .detail("database", database ? "reachable" : "unreachable")
                        .build();
            }
        };
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
    }

    @Override
    public void beforeStart() {
        start();
    }

    @Override
    public void afterStop() {
        close();
    }

    /** Stops consuming and closes the pool; batches in flight may still commit first. */
    @Override
    public void close() {
        loop.close();
        database.close();
    }
}
