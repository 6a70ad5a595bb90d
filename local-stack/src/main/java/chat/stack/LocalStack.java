package chat.stack;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Redis, PostgreSQL and Kafka as local processes in one data folder ({@code redis/}, {@code postgres/},
 * {@code kafka/}), started in parallel and stopped together, also when the JVM exits without closing it.
 */
public final class LocalStack implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalStack.class.getName());

    private final RedisServer redis;
    private final PostgresServer postgres;
    private final KafkaServer kafka;
    private final Deque<AutoCloseable> dependents = new ArrayDeque<>();
    private final Thread closeOnExit = new Thread(this::close, "local-stack-shutdown");
    private final CountDownLatch closed = new CountDownLatch(1);

    private LocalStack(RedisServer redis, PostgresServer postgres, KafkaServer kafka) {
        this.redis = redis;
        this.postgres = postgres;
        this.kafka = kafka;
        Runtime.getRuntime().addShutdownHook(closeOnExit);
    }

    /**
     * Starts all three servers on free ports.
     *
     * @param dataDir    folder for the servers' data, configuration and output
     * @param persistent whether Redis keeps its data across restarts (append-only file); PostgreSQL and Kafka
     *                   always keep theirs in {@code dataDir}
     */
    public static LocalStack start(Path dataDir, boolean persistent) {
        return start(dataDir, persistent, StackPorts.anyFree(), EnumSet.allOf(StackService.class));
    }

    /** Starts the given servers on the given ports; the accessors of the others fail. */
    public static LocalStack start(Path dataDir, boolean persistent, StackPorts ports, Set<StackService> services) {
        Path root = dataDir.toAbsolutePath();
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<KafkaServer> kafka = !services.contains(StackService.KAFKA) ? null : starter.submit(() ->
                    KafkaServer.start(root.resolve("kafka"), ports.kafka(), ports.kafkaController()));
            Future<PostgresServer> postgres = !services.contains(StackService.POSTGRES) ? null : starter.submit(() ->
                    PostgresServer.start(root.resolve("postgres"), ports.postgres()));
            Future<RedisServer> redis = !services.contains(StackService.REDIS) ? null : starter.submit(() ->
                    RedisServer.start(root.resolve("redis"), ports.redis(), persistent));
            Startup startup = new Startup();
            KafkaServer startedKafka = startup.await(kafka);
            PostgresServer startedPostgres = startup.await(postgres);
            RedisServer startedRedis = startup.await(redis);
            startup.throwIfFailed(startedKafka, startedPostgres, startedRedis);
            return new LocalStack(startedRedis, startedPostgres, startedKafka);
        }
    }

    public RedisServer redis() {
        return require(redis, StackService.REDIS);
    }

    public PostgresServer postgres() {
        return require(postgres, StackService.POSTGRES);
    }

    public KafkaServer kafka() {
        return require(kafka, StackService.KAFKA);
    }

    public boolean runs(StackService service) {
        return switch (service) {
            case REDIS -> redis != null;
            case POSTGRES -> postgres != null;
            case KAFKA -> kafka != null;
        };
    }

    /**
     * Registers something that uses the stack, such as a chat node process, to be closed before the servers, the
     * last registered first, so that it never sees its servers vanish while it shuts down.
     */
    public synchronized void closeFirst(AutoCloseable dependent) {
        dependents.push(dependent);
    }

    /** Blocks until the stack is closed, by {@link #close()} or at JVM exit. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Closes the dependents, then stops Kafka, PostgreSQL and Redis, each waiting until its process is gone. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        while (!dependents.isEmpty()) {
            closeLogged(dependents.pop());
        }
        closeLogged(kafka);
        closeLogged(postgres);
        closeLogged(redis);
        if (Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException e) {
                LOG.log(Level.DEBUG, "JVM already shutting down; the hook will find the stack closed");
            }
        }
        closed.countDown();
    }

    private static void closeLogged(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "Could not stop " + closeable, e);
        }
    }

    private static <T> T require(T server, StackService service) {
        if (server == null) {
            throw new IllegalStateException(service + " was not started in this stack");
        }
        return server;
    }

    /** Collects the servers of a parallel start; if one failed, the started ones are stopped and it is thrown. */
    private static final class Startup {

        private IllegalStateException failure;

        <T> T await(Future<T> server) {
            if (server == null) {
                return null;
            }
            try {
                return server.get();
            } catch (ExecutionException e) {
                fail(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            }
            return null;
        }

        void throwIfFailed(AutoCloseable... started) {
            if (failure != null) {
                for (AutoCloseable server : started) {
                    closeLogged(server);
                }
                throw failure;
            }
        }

        private void fail(Throwable cause) {
            if (failure == null) {
                failure = new IllegalStateException("The local stack did not start", cause);
            } else {
                failure.addSuppressed(cause);
            }
        }
    }
}
