package chat.node.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a program it drives is not installed: it never passes silently. Where the program is
 * optional on a developer's machine the test is aborted with a banner no one can miss, except on CI
 * ({@code CI=true}), where every test must run and a missing program fails it.
 */
public final class MissingTool {

    private MissingTool() {
    }

    /** Fails on CI; elsewhere prints the reason in a banner and aborts the test. */
    public static void abortOrFail(String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        System.err.println(banner("TESTS NOT RUN: " + why));
        Assumptions.abort(why);
    }

    /** Fails everywhere, for a program the build itself needs. */
    public static AssertionError required(String why) {
        System.err.println(banner("TEST FAILED FOR A MISSING PROGRAM: " + why));
        return new AssertionError(why);
    }

    private static String banner(String text) {
        return """

                ************************************************************************
                %s
                ************************************************************************
                """.formatted(text);
    }
}
