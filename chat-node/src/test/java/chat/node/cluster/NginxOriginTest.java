package chat.node.cluster;

import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The chat page as a browser loads it through the compose stack's load balancer: its WebSocket carries the
 * balancer's origin, port included, which the node compares with the {@code Host} nginx passes on.
 */
@ExtendWith({RequiresNginx.class, ChatStackExtension.class})
class NginxOriginTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pageServedThroughTheBalancerOpensAWebSocketWhileAnotherSitesPageCannot(TestStack stack) throws Exception {
        try (TestCluster cluster = TestCluster.of(stack, 1);
             NginxLoadBalancer balancer = NginxLoadBalancer.start(List.of(cluster.port(0)))) {
            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket socket = open(balancer, balancer.url(), first).join();
            try {
                assertThat(first.get(5, TimeUnit.SECONDS), startsWith("0{\"sid\":"));
            } finally {
                socket.abort();
            }

            CompletionException refused = assertThrows(CompletionException.class,
                    () -> open(balancer, "https://evil.example", new CompletableFuture<>()).join());
            assertThat(refused.getCause(), instanceOf(WebSocketHandshakeException.class));
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(), is(403));
        }
    }

    private static CompletableFuture<WebSocket> open(NginxLoadBalancer balancer, String origin,
                                                     CompletableFuture<String> first) {
        URI uri = URI.create(balancer.url().replaceFirst("^http", "ws") + "/socket.io/?EIO=4&transport=websocket");
        return HTTP.newWebSocketBuilder().header("Origin", origin).buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        });
    }
}
