package chat.node.cluster;

import chat.node.support.MissingTool;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;

/** Checks for the machine's nginx before a load balancer test class starts anything. */
final class RequiresNginx implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(NginxLoadBalancer.NGINX)) {
            MissingTool.abortOrFail("the load balancer tests of " + context.getDisplayName() + " need nginx at "
                    + NginxLoadBalancer.NGINX + " (Debian: apt-get install nginx-light)");
        }
    }
}
