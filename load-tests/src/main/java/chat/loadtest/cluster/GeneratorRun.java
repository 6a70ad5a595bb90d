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
 * One run of a load generator in a JVM of its own, whose CPU is measured apart from everything else, with its
 * settings as system properties: a Gatling simulation, or {@link #wire the RoomChat load on raw frames}. Gatling's
 * reports are skipped unless asked for: the figures the load tests use come from the run's own summary file.
 */
public final class GeneratorRun {

    private static final String GATLING_MAIN = "io.gatling.app.Gatling";
    private static final String WIRE_MAIN = "chat.loadtest.wire.WireLoad";
    /** Gatling's log writer reads String internals, which needs java.lang opened (the Gatling plugin does the same). */
    private static final List<String> GATLING_OPTIONS = List.of("-Xms512m", "-Xmx2g", "-XX:+UseParallelGC",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "-Djava.awt.headless=true");
    /** The heap touched before the run, so that the measured window does not pay for zeroing fresh pages. */
    private static final List<String> WIRE_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
            "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED");

    private final String name;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final List<String> mainAndArguments;

    private GeneratorRun(String name, Map<String, String> properties, List<String> jvmOptions,
                         List<String> mainAndArguments) {
        this.name = name;
        this.properties = properties;
        this.jvmOptions = jvmOptions;
        this.mainAndArguments = mainAndArguments;
    }

    /** A Gatling simulation, its results under {@code resultsDir}. */
    public static GeneratorRun gatling(String simulation, Map<String, String> properties, Path resultsDir,
                                       boolean reports) {
        List<String> main = new ArrayList<>(List.of(GATLING_MAIN, "--simulation", simulation,
                "--results-folder", resultsDir.toAbsolutePath().toString()));
        if (!reports) {
            main.add("--no-reports");
        }
        try {
            Files.createDirectories(resultsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + resultsDir, e);
        }
        return new GeneratorRun(simulation, properties, GATLING_OPTIONS, main);
    }

    /** The RoomChat load on raw WebSocket frames ({@code chat.loadtest.wire.WireLoad}), with the same settings. */
    public static GeneratorRun wire(Map<String, String> properties) {
        return new GeneratorRun(WIRE_MAIN, properties, WIRE_OPTIONS, List.of(WIRE_MAIN));
    }

    /**
     * Runs the generator to its end and returns its exit status (0, or 2 when the run missed its objective).
     *
     * @param started told the load generator's pid once it runs
     */
    public int run(CpuCaps.Group group, Path log, Duration timeout, LongConsumer started) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", classpath()));
        command.addAll(mainAndArguments);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(group.wrap(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            started.accept(process.pid());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("The load generator did not finish " + name + " within " + timeout
                        + "; see " + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + name, e);
        }
    }

    /**
     * This JVM's classpath. Under {@code exec:java} the load tests run in a class loader of their own inside
     * Maven's JVM, whose {@code java.class.path} is Maven's; that loader's URLs are then the classpath.
     */
    static String classpath() {
        if (GeneratorRun.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            return Arrays.stream(loader.getURLs()).map(GeneratorRun::toPath).collect(Collectors.joining(File.pathSeparator));
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
