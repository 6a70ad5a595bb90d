package chat.node.web;

import chat.node.support.MissingTool;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks for Chromium and chromedriver before a browser test class starts anything. Without them the tests fail
 * on CI ({@code CI=true}), where they must run, and elsewhere are aborted with a message no one can miss.
 */
final class RequiresChromium implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        List<Path> missing = Stream.of(HeadlessChromium.BROWSER, HeadlessChromium.DRIVER)
                .filter(path -> !Files.isExecutable(path))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        MissingTool.abortOrFail("the browser tests of " + context.getDisplayName()
                + " need Chromium and chromedriver, missing: " + missing
                + " (Debian: apt-get install chromium chromium-driver)");
    }
}
