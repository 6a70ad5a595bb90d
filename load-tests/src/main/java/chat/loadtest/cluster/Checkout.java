package chat.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The checkout a run starts from: where its output goes, where the chat node was built, and where BENCHMARKS.md is.
 *
 * @param root the folder holding the parent {@code pom.xml} and {@code load-tests/}
 */
public record Checkout(Path root) {

    /** {@code -Dchat.checkout}, or the first folder up from the working directory that looks like the checkout. */
    public static Checkout locate() {
        String configured = System.getProperty("chat.checkout", "");
        if (!configured.isBlank()) {
            return new Checkout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("load-tests")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return new Checkout(dir);
            }
        }
        throw new IllegalStateException("Run from the checkout, or set -Dchat.checkout");
    }

    /** {@code load-tests/target/<run>}, empty: an earlier run's files are deleted. */
    public Path emptyOutput(String run) {
        Path out = root.resolve("load-tests/target").resolve(run);
        try {
            if (Files.exists(out)) {
                try (Stream<Path> paths = Files.walk(out)) {
                    for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty " + out, e);
        }
    }

    /** The chat node's jar to run: {@code -DchatNodeJar}, or the one chat-node's build leaves. */
    public Path chatNodeJar() {
        return Path.of(System.getProperty("chatNodeJar", root.resolve("chat-node/target/chat-node.jar").toString()));
    }

    /** The Socket.IO baseline's folder. */
    public Path socketIoBaseline() {
        return root.resolve("load-tests/baseline");
    }

    public Path benchmarks() {
        return root.resolve("BENCHMARKS.md");
    }

    /**
     * Copies a chat node's jar and the {@code libs/} folder beside it into {@code dir}, so that a rebuild of the
     * checkout cannot pull them from under a run.
     *
     * @return the copied jar
     */
    public static Path copyChatNode(Path jar, Path dir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw -q -DskipTests install");
        }
        try {
            Files.createDirectories(dir.resolve("libs"));
            try (Stream<Path> libs = Files.list(jar.toAbsolutePath().getParent().resolve("libs"))) {
                for (Path lib : libs.toList()) {
                    Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + jar + " to " + dir, e);
        }
    }
}
