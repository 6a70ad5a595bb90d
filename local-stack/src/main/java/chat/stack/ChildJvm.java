package chat.stack;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How to start another JVM like this one: the same java binary and this module's classpath, with the main class run
 * under {@link OrphanGuard} so that the child ends when this JVM does, even if this one is killed.
 */
final class ChildJvm {

    private final String java;
    private final String classpath;

    private ChildJvm(String java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    static ChildJvm likeThisOne() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ChildJvm(java, classpath());
    }

    /** The java binary, for children started from a jar of their own. */
    String java() {
        return java;
    }

    List<String> command(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, OrphanGuard.class.getName(),
                Long.toString(ProcessHandle.current().pid()), mainClass));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * Under {@code exec:java} this module runs in a class loader of its own inside Maven's JVM, whose
     * {@code java.class.path} is Maven's; the loader's URLs are then the classpath. Elsewhere (surefire, a
     * runnable jar) {@code java.class.path} is right.
     */
    private static String classpath() {
        if (ChildJvm.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            return Arrays.stream(loader.getURLs())
                    .map(ChildJvm::toPath)
                    .collect(Collectors.joining(File.pathSeparator));
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
