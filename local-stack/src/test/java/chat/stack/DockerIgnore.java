package chat.stack;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/** The checkout's .dockerignore: what the build context of the Dockerfiles leaves out. */
record DockerIgnore(List<String> patterns) {

    static DockerIgnore read(Path checkout) throws IOException {
        return new DockerIgnore(Files.readAllLines(checkout.resolve(".dockerignore")).stream()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList());
    }

    /** Whether a pattern matches the path or a directory above it ({@code **}{@code /x} matches x at the top too). */
    boolean drops(String source) {
        Path path = Path.of(source);
        for (String pattern : patterns) {
            List<String> globs = pattern.startsWith("**/") ? List.of(pattern, pattern.substring(3)) : List.of(pattern);
            for (String glob : globs) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceAll("/$", ""));
                for (int i = 1; i <= path.getNameCount(); i++) {
                    if (matcher.matches(path.subpath(0, i))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
