package chat.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A command-line tool a test drives (docker-compose, nginx, promtool). Where it is missing the test fails under
 * CI ({@code CI=true}, which installs it) and is aborted elsewhere, loudly, so that a check never passes unseen.
 */
record ExternalTool(String name, Path binary) {

    /** Output and exit code of one run. */
    record Run(int exitCode, String output) {
    }

    /** The tool from the PATH (or an sbin directory, where nginx lives); fails or aborts the test when absent. */
    static ExternalTool require(String name, String installedBy) {
        Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.concat(path, Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .map(binary -> new ExternalTool(name, binary))
                .orElseGet(() -> missing(name, installedBy));
    }

    /** Runs the tool in a directory and waits for it (a minute at most). */
    Run run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within a minute");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static ExternalTool missing(String name, String installedBy) {
        String message = name + " is not installed (" + installedBy + "), so this check did not run";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return fail(message + "; CI=true requires it");
        }
        System.err.println("""

                ********************************************************************************
                  SKIPPED: %s
                ********************************************************************************
                """.formatted(message));
        return Assumptions.abort(message);
    }
}
