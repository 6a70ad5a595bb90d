package chat.node.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Node.js script of {@code src/test/node} that drives the npm {@code socket.io-client} the chat page ships
 * ({@code web/node_modules}, installed by the build's {@code npm ci}). It takes its input as one JSON argument and
 * prints what it saw as one JSON line, which the test asserts on; its output stays in {@code target/node-scripts}.
 */
public final class NodeScript implements AutoCloseable {
    private static final Path SCRIPTS = Path.of("src", "test", "node");
    private static final Path MODULES = Path.of("web", "node_modules");
    private static final Path OUTPUT = Path.of("target", "node-scripts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String script;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private NodeScript(String script, Process process, Path stdout, Path stderr) {
        this.script = script;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code node src/test/node/<script> '<input as JSON>'}. */
    public static NodeScript start(String script, Map<String, ?> input) {
        Path node = nodeOnPath();
        if (!Files.isDirectory(MODULES.resolve("socket.io-client"))) {
            throw MissingTool.required(MODULES.resolve("socket.io-client").toAbsolutePath()
                    + " is missing: the build's npm ci in chat-node/web installs it (generate-resources)");
        }
        try {
            Files.createDirectories(OUTPUT);
            String name = script.replaceFirst("\\.js$", "");
            Path stdout = Files.createTempFile(OUTPUT, name + "-", ".out");
            Path stderr = stdout.resolveSibling(stdout.getFileName().toString().replaceFirst("\\.out$", ".err"));
            ProcessBuilder builder = new ProcessBuilder(node.toString(), SCRIPTS.resolve(script).toString(),
                    JSON.writeValueAsString(input))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().put("NODE_PATH", MODULES.toAbsolutePath().toString());
            return new NodeScript(script, builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script, e);
        }
    }

    /** Waits for the script to end and returns the JSON it printed; fails with its error output otherwise. */
    public JsonNode result(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(script + " did not end within " + timeout + "; it wrote: " + output());
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " failed (exit " + process.exitValue() + "): " + output());
            }
            List<String> lines = Files.readAllLines(stdout).stream().filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new AssertionError(script + " printed no result; it wrote: " + output());
            }
            return JSON.readTree(lines.getLast());
        } catch (JsonProcessingException e) {
            throw new AssertionError(script + " printed no JSON result: " + output(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + script + " ran", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private String output() {
        try {
            return Files.readString(stderr) + Files.readString(stdout);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static Path nodeOnPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "node"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> MissingTool.required("Node.js is not installed (no node on the PATH); the build "
                        + "needs it for the chat page, and the socket.io-client tests run it (see README.md)"));
    }
}
