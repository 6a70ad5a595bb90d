package chat.loadtest.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * One Gatling run of a simulation in a JVM of its own (the load generator, whose CPU is measured apart from
 * everything else), with the simulation's settings as system properties. Reports are skipped unless asked for:
 * the figures the load tests use come from the simulation's own summary file.
 */
public final class GatlingRun {

    private static final String GATLING_MAIN = "io.gatling.app.Gatling";
    /** Gatling's log writer reads String internals, which needs java.lang opened (the Gatling plugin does the same). */
    private static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx2g", "-XX:+UseParallelGC",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "-Djava.awt.headless=true");

    private final String simulation;
    private final Map<String, String> properties;
    private final Path resultsDir;
    private final boolean reports;

    public GatlingRun(String simulation, Map<String, String> properties, Path resultsDir, boolean reports) {
        this.simulation = simulation;
        this.properties = properties;
        this.resultsDir = resultsDir;
        this.reports = reports;
    }

    /**
     * Runs the simulation to its end and returns Gatling's exit status (0, or 2 when an assertion failed).
     *
     * @param started told the load generator's pid once it runs
     */
    public int run(CpuCaps.Group group, Path log, Duration timeout, LongConsumer started) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", classpath(), GATLING_MAIN, "--simulation", simulation,
                "--results-folder", resultsDir.toAbsolutePath().toString()));
        if (!reports) {
            command.add("--no-reports");
        }
        try {
            Files.createDirectories(resultsDir);
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(group.wrap(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            started.accept(process.pid());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("Gatling did not finish " + simulation + " within " + timeout
                        + "; see " + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Gatling for " + simulation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Gatling ran " + simulation, e);
        }
    }

    /**
     * This JVM's classpath. Under {@code exec:java} the load tests run in a class loader of their own inside
     * Maven's JVM, whose {@code java.class.path} is Maven's; that loader's URLs are then the classpath.
     */
    static String classpath() {
        if (GatlingRun.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            return Arrays.stream(loader.getURLs()).map(GatlingRun::toPath).collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Classpath entry is not a file: " + url, e);
        }
    }
}
