package chat.loadtest.chaos;

import chat.loadtest.cluster.ClusterSettings;
import chat.loadtest.cluster.ServerKind;
import chat.loadtest.simulation.UserTokens;
import chat.stack.LocalStack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The chaos run: Redis, Kafka and PostgreSQL as local processes, two chat nodes and the archiver as processes of their
 * own, a steady chat load from careful clients ({@link ChaosUser}), and one fault after another, each followed by a
 * pause and a restart and time to settle: a chat node killed, the archiver killed three times, Kafka killed, Redis
 * killed (its data lost), PostgreSQL killed, a chat node stopped (drained). The {@link ChaosLedger} then holds every
 * acknowledged message against what each member received and what PostgreSQL holds; the report goes to
 * {@code load-tests/target/chaos/} and its section of BENCHMARKS.md.
 *
 * <p>Run by {@code load-tests/chaos-run.sh}, which builds what it needs first.
 */
public final class ChaosRun {

    private static final Duration END_SETTLE = Duration.ofSeconds(60);
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(120);
    /** How long before a fault the offline users drop their connections. */
    private static final Duration OFFLINE_LEAD = Duration.ofSeconds(5);

    private final ChaosPlan plan;
    private final LocalStack stack;
    private final List<RestartableServer> nodes;
    private final RestartableServer archiver;
    private final List<Phase> phases = new ArrayList<>();
    private final List<ChaosUser> users = new ArrayList<>();
    private long phaseStart;
    private String phaseName = "steady load";
    private String phaseAction = "no fault";
    private long phaseRestored;

    private ChaosRun(ChaosPlan plan, LocalStack stack, List<RestartableServer> nodes, RestartableServer archiver) {
        this.plan = plan;
        this.stack = stack;
        this.nodes = nodes;
        this.archiver = archiver;
    }

    public static void main(String[] args) throws Exception {
        ChaosPlan plan = ChaosPlan.fromSystemProperties();
        Path checkout = checkout();
        Path out = checkout.resolve("load-tests/target/chaos");
        deleteRecursively(out);
        Files.createDirectories(out);
        Path nodeJar = copyApp(checkout.resolve("chat-node/target/chat-node.jar"), out.resolve("app/chat-node"));
        Path archiverJar = copyApp(checkout.resolve("archiver/target/archiver.jar"), out.resolve("app/archiver"));
        long started = System.currentTimeMillis();
        String secret = secret();
        // Redis without persistence: a kill loses its data, the case docs/ARCHITECTURE.md plans for.
        try (LocalStack stack = LocalStack.start(out.resolve("stack"), false)) {
            ClusterSettings cluster = new ClusterSettings(stack.redis().url(), stack.kafka().bootstrap(),
                    stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password(), secret);
            Path logs = out.resolve("logs");
            List<RestartableServer> nodes = List.of(
                    new RestartableServer("node-1", ServerKind.CHAT_NODE, nodeJar, cluster, logs),
                    new RestartableServer("node-2", ServerKind.CHAT_NODE, nodeJar, cluster, logs));
            RestartableServer archiver = new RestartableServer("archiver", ServerKind.ARCHIVER, archiverJar, cluster,
                    logs);
            nodes.forEach(stack::closeFirst);
            stack.closeFirst(archiver);
            // The archiver first: it creates the schema the nodes' history reads.
            archiver.start();
            nodes.forEach(RestartableServer::start);
            say("stack, two chat nodes and the archiver are up after %d s",
                    (System.currentTimeMillis() - started) / 1000);
            ChaosLedger ledger = new ChaosLedger();
            List<PhaseResult> results = new ChaosRun(plan, stack, nodes, archiver).run(ledger, cluster, out);
            Duration took = Duration.ofMillis(System.currentTimeMillis() - started);
            ChaosReport report = new ChaosReport(plan, results, took);
            report.write(out, checkout.resolve("BENCHMARKS.md"));
            System.out.println(report.markdown());
        }
    }

    private List<PhaseResult> run(ChaosLedger ledger, ClusterSettings cluster, Path out)
            throws SQLException, IOException {
        List<String> urls = nodes.stream().map(RestartableServer::wsBaseUrl).toList();
        UserTokens tokens = new UserTokens(cluster.authSecret());
        Set<String> rooms = new LinkedHashSet<>();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < plan.users(); i++) {
                String room = "chaos-" + run + "-" + i / plan.roomSize();
                rooms.add(room);
                String name = "chaos-" + run + "-u" + i;
                // Members of a room are dealt over both nodes, so each message crosses Redis to the other.
                users.add(new ChaosUser(name, room, tokens.tokenFor(name), urls, i % urls.size(), plan.ratePerUser(),
                        http, ledger));
            }
            List<Thread> threads = users.stream().map(user -> Thread.ofVirtual().start(user::run)).toList();
            phaseStart = System.currentTimeMillis();
            phaseRestored = phaseStart;
            say("%d users in %d rooms, %.1f messages/s each", users.size(), rooms.size(), plan.ratePerUser());
            sleep(plan.steady());
            faults(ledger);
            // The last phase ends with the load; what arrives after it still counts in it.
            endPhase(System.currentTimeMillis());
            users.forEach(ChaosUser::stopSending);
            awaitSettled(users);
            users.forEach(ChaosUser::close);
            threads.forEach(ChaosRun::join);
        }
        List<ChaosLedger.Row> rows = awaitArchive(ledger, cluster, rooms);
        ledger.writeCsv(out);
        return ledger.account(phases, rows);
    }

    /** Each fault in turn, with a pause before the restart and time to settle after it. */
    private void faults(ChaosLedger ledger) {
        RestartableServer first = nodes.getFirst();
        fault("chat node SIGKILL", first.name() + " killed, restarted after " + secs(plan.down()),
                first::kill, first::start, ledger);
        archiverKills(ledger);
        fault("Kafka SIGKILL", "the broker killed, restarted after " + secs(plan.down()),
                stack.kafka()::kill, stack.kafka()::start, ledger);
        fault("Redis SIGKILL", "killed (no persistence: its data is lost), restarted after " + secs(plan.down()),
                stack.redis()::kill, stack.redis()::start, ledger);
        fault("PostgreSQL SIGKILL", "postmaster and backends killed, restarted after " + secs(plan.down()),
                stack.postgres()::kill, stack.postgres()::start, ledger);
        RestartableServer second = nodes.getLast();
        fault("chat node SIGTERM", second.name() + " drained and stopped, restarted after " + secs(plan.down()),
                second::terminate, second::start, ledger);
    }

    private void fault(String name, String action, Runnable strike, Runnable restore, ChaosLedger ledger) {
        List<ChaosUser> away = goOffline();
        long at = System.currentTimeMillis();
        endPhase(at);
        say("%s: %s (%d acked so far)", name, action, ledger.ackCount());
        strike.run();
        sleep(plan.down());
        restore.run();
        away.forEach(ChaosUser::comeBack);
        beginPhase(name, action, at, System.currentTimeMillis());
        say("%s: restored after %.1f s", name, (phaseRestored - at) / 1000.0);
        sleep(plan.settle());
    }

    /** Three kills at random points of the archiver's work, each restarted after a short pause. */
    private void archiverKills(ChaosLedger ledger) {
        List<ChaosUser> away = goOffline();
        long at = System.currentTimeMillis();
        endPhase(at);
        List<String> points = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            long after = ThreadLocalRandom.current().nextLong(1_000, 8_000);
            sleep(Duration.ofMillis(after));
            points.add(String.format("%.1f s", after / 1000.0));
            say("archiver SIGKILL %d of 3 (%d acked so far)", kill + 1, ledger.ackCount());
            archiver.kill();
            sleep(Duration.ofSeconds(2));
            archiver.start();
        }
        away.forEach(ChaosUser::comeBack);
        String action = "killed 3 times, each " + String.join(", ", points)
                + " into a life, restarted after 2 s";
        beginPhase("archiver SIGKILL ×3", action, at, System.currentTimeMillis());
        say("archiver: restored for the third time");
        sleep(plan.settle());
    }

    /**
     * A few users, at random, drop their connections a while before the fault strikes, and stay away until it is
     * over: what they missed then reaches back before the fault (after Redis lost its data, into what only
     * PostgreSQL holds).
     */
    private List<ChaosUser> goOffline() {
        List<ChaosUser> shuffled = new ArrayList<>(users);
        Collections.shuffle(shuffled);
        List<ChaosUser> away = List.copyOf(shuffled.subList(0, Math.min(plan.offline(), shuffled.size())));
        away.forEach(ChaosUser::goOffline);
        sleep(OFFLINE_LEAD);
        return away;
    }

    private void endPhase(long at) {
        phases.add(new Phase(phaseName, phaseAction, phaseStart, phaseRestored, at));
    }

    private void beginPhase(String name, String action, long start, long restored) {
        phaseName = name;
        phaseAction = action;
        phaseStart = start;
        phaseRestored = restored;
    }

    private static void awaitSettled(List<ChaosUser> users) {
        long deadline = System.currentTimeMillis() + END_SETTLE.toMillis();
        while (System.currentTimeMillis() < deadline && !users.stream().allMatch(ChaosUser::settled)) {
            sleep(Duration.ofMillis(200));
        }
        long unsettled = users.stream().filter(user -> !user.settled()).count();
        if (unsettled > 0) {
            say("WARNING: %d users were not back in their rooms with everything acknowledged after %s", unsettled,
                    secs(END_SETTLE));
        }
        // Deliveries of the last acks are on their way.
        sleep(Duration.ofSeconds(3));
    }

    /** Waits until every acknowledged message is in PostgreSQL, or the wait is over; returns the rows. */
    private static List<ChaosLedger.Row> awaitArchive(ChaosLedger ledger, ClusterSettings cluster, Set<String> rooms)
            throws SQLException {
        ArchiveRows archive = new ArchiveRows(cluster);
        Set<String> acked = ledger.ackedIds();
        long deadline = System.currentTimeMillis() + ARCHIVE_WAIT.toMillis();
        while (true) {
            List<ChaosLedger.Row> rows = archive.of(rooms);
            Set<String> archived = new HashSet<>();
            rows.forEach(row -> archived.add(row.id()));
            if (archived.containsAll(acked) || System.currentTimeMillis() > deadline) {
                say("%d rows in PostgreSQL for %d acknowledged messages", rows.size(), acked.size());
                return rows;
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    private static String secs(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static void say(String format, Object... args) {
        System.out.printf("[chaos %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies a jar and its libs, so that a rebuild of the checkout cannot pull them from under the run. */
    private static Path copyApp(Path jar, Path dir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with load-tests/chaos-run.sh");
        }
        Files.createDirectories(dir.resolve("libs"));
        try (Stream<Path> libs = Files.list(jar.getParent().resolve("libs"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()));
            }
        }
        return Files.copy(jar, dir.resolve(jar.getFileName()));
    }

    private static String secret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static Path checkout() {
        String configured = System.getProperty("chat.checkout", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of("").toAbsolutePath();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
