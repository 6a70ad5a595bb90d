package chat.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchmarksSectionTest {

    private static final BenchmarksSection PERFORMANCE = BenchmarksSection.named("performance").after("scaling");
    private static final String SCALING = """
            # Benchmarks

            <!-- load-tests:scaling:begin -->
            ## Scaling
            <!-- load-tests:scaling:end -->

            <!-- archiver:throughput:begin -->
            ## Archiver
            """;

    @TempDir
    Path dir;

    @Test
    void anExistingSectionIsReplacedAndTheRestLeftAsItIs() {
        String existing = """
                # Benchmarks

                <!-- load-tests:performance:begin -->
                ## Old numbers
                <!-- load-tests:performance:end -->

                ## Below
                """;

        assertEquals("""
                # Benchmarks

                <!-- load-tests:performance:begin -->
                ## New numbers
                <!-- load-tests:performance:end -->

                ## Below
                """, PERFORMANCE.rewrite(existing, "## New numbers\n"));
    }

    @Test
    void aNewSectionGoesRightAfterTheSectionItFollows() {
        assertEquals("""
                # Benchmarks

                <!-- load-tests:scaling:begin -->
                ## Scaling
                <!-- load-tests:scaling:end -->

                <!-- load-tests:performance:begin -->
                ## Performance
                <!-- load-tests:performance:end -->

                <!-- archiver:throughput:begin -->
                ## Archiver
                """, PERFORMANCE.rewrite(SCALING, "## Performance\n"));
    }

    @Test
    void aNewSectionWhoseNeighbourIsMissingGoesAtTheEnd() {
        assertEquals("# Benchmarks\n\nText\n\n<!-- load-tests:performance:begin -->\n## Performance\n"
                        + "<!-- load-tests:performance:end -->\n",
                PERFORMANCE.rewrite("# Benchmarks\n\nText\n", "## Performance"));
    }

    @Test
    void writingTwiceLeavesOneSectionWithTheLatestText() throws IOException {
        Path benchmarks = dir.resolve("BENCHMARKS.md");
        Files.writeString(benchmarks, SCALING);

        PERFORMANCE.write(benchmarks, "## First\n");
        PERFORMANCE.write(benchmarks, "## Second\n");

        String text = Files.readString(benchmarks);
        assertEquals(1, text.split("load-tests:performance:begin", -1).length - 1);
        assertEquals(PERFORMANCE.rewrite(SCALING, "## Second\n"), text);
    }
}
