package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one stack of a test JVM, in a temporary folder, kept in JUnit's root store so that JUnit stops it and
 * deletes the folder when all tests have run.
 */
final class SharedStack implements ExtensionContext.Store.CloseableResource {

    private static final System.Logger LOG = System.getLogger(SharedStack.class.getName());

    private final Path folder;
    private final LocalStack local;
    private final TestStack testStack;

    private SharedStack(Path folder, LocalStack local, TestStack testStack) {
        this.folder = folder;
        this.local = local;
        this.testStack = testStack;
    }

    static SharedStack start(ExternalServers external) {
        long started = System.nanoTime();
        try {
            Path folder = Files.createTempDirectory("chat-stack-");
            LocalStack local = LocalStack.start(folder, false, StackPorts.anyFree(), external.localServices());
            LOG.log(Level.INFO, "Test stack {0} started in {1} ms in {2}", external.localServices(),
                    Long.toString((System.nanoTime() - started) / 1_000_000), folder);
            return new SharedStack(folder, local, new TestStack(external, local));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for the test stack", e);
        }
    }

    TestStack testStack() {
        return testStack;
    }

    @Override
    public void close() throws IOException {
        local.close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
