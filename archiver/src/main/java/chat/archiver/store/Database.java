package chat.archiver.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import chat.archiver.ArchiverSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

/**
 * The archive's PostgreSQL: one HikariCP pool, the Helidon DB client over it, and the schema that Flyway migrates
 * to on start.
 */
public final class Database implements AutoCloseable {

    /** Long enough for a batch of tens of thousands of rows on a busy server, short enough to notice a hung one. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HikariDataSource pool;
    private final DbClient client;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.client = JdbcClientBuilder.create()
                .connectionPool(this::borrow)
                .build();
    }

    /** Opens the pool without connecting: the archiver starts, and waits, while PostgreSQL is down. */
    public static Database open(ArchiverSettings.Db settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("archive");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "chat-archiver");
        return new Database(new HikariDataSource(config));
    }

    /** Brings the schema to the newest version in {@code db/migration}; Flyway serialises concurrent archivers. */
    public void migrate() {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DbClient client() {
        return client;
    }

    /** The pool itself, for the bulk path that needs pgjdbc's own API on a connection. */
    public DataSource dataSource() {
        return pool;
    }

    /** Whether PostgreSQL answers a query now. */
    public boolean reachable() {
        try {
            return client.execute().get("SELECT 1 AS up").isPresent();
        } catch (RuntimeException e) {
            // The health endpoint reports the outcome; the writer logs the failures that matter.
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
        pool.close();
    }

    private Connection borrow() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new DbClientException("No connection to the archive database", e);
        }
    }
}
