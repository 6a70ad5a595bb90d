package chat.loadtest.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run's section of BENCHMARKS.md, between its {@code <!-- load-tests:NAME:begin -->} and
 * {@code <!-- load-tests:NAME:end -->} markers. A run rewrites its own section and leaves the rest of the file as
 * it is; a section not there yet goes after the end marker of the section it follows, or at the end of the file.
 *
 * @param name    the run's name in the markers
 * @param follows the name of the section a new one goes after, or empty for the end of the file
 */
public record BenchmarksSection(String name, String follows) {

    /** A section that is appended to the file when it is not there yet. */
    public static BenchmarksSection named(String name) {
        return new BenchmarksSection(name, "");
    }

    /** This section, put after {@code other}'s section when it is not there yet. */
    public BenchmarksSection after(String other) {
        return new BenchmarksSection(name, other);
    }

    public String begin() {
        return marker(name, "begin");
    }

    public String end() {
        return marker(name, "end");
    }

    /** Writes {@code markdown} as this section of the file, which is created when missing. */
    public void write(Path benchmarks, String markdown) {
        try {
            String existing = Files.exists(benchmarks) ? Files.readString(benchmarks) : "# Benchmarks\n\n";
            Files.writeString(benchmarks, rewrite(existing, markdown));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + benchmarks, e);
        }
    }

    /** The file's text with {@code markdown} as this section. */
    public String rewrite(String existing, String markdown) {
        String section = begin() + "\n" + markdown + (markdown.endsWith("\n") ? "" : "\n") + end() + "\n";
        int from = existing.indexOf(begin());
        int to = existing.indexOf(end());
        if (from >= 0 && to > from) {
            return existing.substring(0, from) + section
                    + existing.substring(to + end().length()).replaceFirst("^\n", "");
        }
        String anchor = follows.isEmpty() ? "" : marker(follows, "end");
        int at = anchor.isEmpty() ? -1 : existing.indexOf(anchor);
        if (at >= 0) {
            int after = at + anchor.length();
            String rest = existing.substring(after).replaceFirst("^\n+", "");
            return existing.substring(0, after) + "\n\n" + section + (rest.isEmpty() ? "" : "\n" + rest);
        }
        return existing + (existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n") + section;
    }

    private static String marker(String name, String edge) {
        return "<!-- load-tests:" + name + ":" + edge + " -->";
    }
}
