package chat.node.engineio;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many Engine.IO sessions each client address holds on this node, capped so that one address cannot take the
 * node's sockets. A handshake from an address at the cap is refused as Engine.IO refuses a forbidden request:
 * HTTP 403 with code 4. That is checked in a filter, which sees a WebSocket's upgrade request too (Helidon routes
 * upgrades through the HTTP filters), and counted when the session opens, so racing handshakes cannot pass.
 */
public final class AddressLimit implements Filter {
    static final String MESSAGE = "Too many connections from this address";

    private final int perAddress;
    private final TrustedProxies proxies;
    private final Runnable onRefused;
    private final Map<String, Integer> sessions = new ConcurrentHashMap<>();

    /**
     * @param perAddress sessions at most per client address; 0 or less: no cap
     * @param proxies    whose {@code X-Forwarded-For} names the client
     * @param onRefused  told of each refused handshake
     */
    public AddressLimit(int perAddress, TrustedProxies proxies, Runnable onRefused) {
        this.perAddress = perAddress;
        this.proxies = proxies;
        this.onRefused = onRefused;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (EngineServer.isHandshake(req) && full(clientOf(req.remotePeer().address(), req.headers().first(HeaderNames.X_FORWARDED_FOR)))) {
            onRefused.run();
            refuse(res);
            return;
        }
        chain.proceed();
    }

    /** Answers a refused handshake. */
    static void refuse(io.helidon.webserver.http.ServerResponse res) {
        res.status(Status.FORBIDDEN_403)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(EngineCodec.error(EngineError.FORBIDDEN, MESSAGE));
    }

    String clientOf(SocketAddress peer, Optional<String> forwardedFor) {
        return proxies.clientOf(peer, forwardedFor);
    }

    /** Counts a new session of {@code address}; false, and counted as refused, when the address is at the cap. */
    boolean tryOpen(String address) {
        if (perAddress <= 0) {
            return true;
        }
        boolean[] opened = {false};
        sessions.compute(address, (a, open) -> {
            int count = open == null ? 0 : open;
            opened[0] = count < perAddress;
            return opened[0] ? count + 1 : open;
        });
        if (!opened[0]) {
            onRefused.run();
        }
        return opened[0];
    }

    /** A session of {@code address} ended. */
    void closed(String address) {
        if (perAddress > 0) {
            sessions.computeIfPresent(address, (a, open) -> open <= 1 ? null : open - 1);
        }
    }

    private boolean full(String address) {
        return perAddress > 0 && sessions.getOrDefault(address, 0) >= perAddress;
    }
}
