package chat.node.engineio;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Engine.IO's HTTP long-polling transport: {@code GET} without a sid opens a session, {@code GET} with one waits for
 * its packets, {@code POST} delivers the client's. Request handlers run on virtual threads, so a pending GET is a
 * parked virtual thread, not a platform thread.
 */
public final class PollingService implements HttpService {
    private static final System.Logger LOG = System.getLogger(PollingService.class.getName());
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final EngineServer server;
    private final EngineConfig config;

    PollingService(EngineServer server, EngineConfig config) {
        this.server = server;
        this.config = config;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : EngineServer.PATHS) {
            rules.any(path, this::handle);
        }
    }

    private void handle(ServerRequest req, ServerResponse res) {
        allowOrigin(req, res);
        Method method = req.prologue().method();
        if (Method.OPTIONS.equals(method)) {
            preflight(req, res);
            return;
        }
        try {
            UriQuery query = req.query();
            EngineError refusal = EngineServer.refusal(query.first("EIO").asOptional(),
                    query.first("transport").asOptional(), "polling");
            if (refusal != null) {
                throw new EngineError.Refusal(refusal);
            }
            Optional<String> sid = query.first("sid").asOptional();
            if (sid.isEmpty()) {
                if (!Method.GET.equals(method)) {
                    throw new EngineError.Refusal(EngineError.BAD_HANDSHAKE_METHOD);
                }
                String address = server.addresses().clientOf(req.remotePeer().address(),
                        req.headers().first(HeaderNames.X_FORWARDED_FOR));
                Optional<EngineSession> opened = server.open(new PollingTransport(), address);
                if (opened.isEmpty()) {
                    AddressLimit.refuse(res);
                    return;
                }
                send(res, opened.get().poll());
                return;
            }
            EngineSession session = server.find(sid.get())
                    .orElseThrow(() -> new EngineError.Refusal(EngineError.UNKNOWN_SID));
            if (Method.GET.equals(method)) {
                send(res, session.poll());
            } else if (Method.POST.equals(method)) {
                post(req, res, session);
            } else {
                throw new EngineError.Refusal(EngineError.BAD_REQUEST);
            }
        } catch (EngineError.Refusal e) {
            res.status(Status.BAD_REQUEST_400)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(EngineCodec.error(e.error()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            res.status(Status.SERVICE_UNAVAILABLE_503).send();
        }
    }

    private void post(ServerRequest req, ServerResponse res, EngineSession session)
            throws EngineError.Refusal {
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(config.maxPayload() + 1);
        } catch (IOException | UncheckedIOException e) {
            session.refused("transport_error");
            throw new EngineError.Refusal(EngineError.BAD_REQUEST);
        }
        if (body.length > config.maxPayload()) {
            session.refused("payload_too_large");
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send();
            return;
        }
        try {
            session.receivePosted(EngineCodec.split(new String(body, StandardCharsets.UTF_8)));
        } catch (MalformedPacketException e) {
            throw new EngineError.Refusal(EngineError.BAD_REQUEST);
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/html").send("ok");
    }

    private static void send(ServerResponse res, List<String> packets) {
        res.header(HeaderNames.CONTENT_TYPE, TEXT).send(EngineCodec.join(packets));
    }

    /** Socket.IO's {@code cors} option: an allowed origin is reflected, with credentials if configured. */
    private void allowOrigin(ServerRequest req, ServerResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty() || !config.cors().allows(origin.get())) {
            // Helidon's CORS support, discovered on the class path, puts a permissive header on every answer.
            res.headers().remove(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
        res.header(HeaderNames.VARY, "Origin");
        if (config.cors().credentials()) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    private void preflight(ServerRequest req, ServerResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && config.cors().allows(origin.get())) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
            req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)
                    .ifPresent(asked -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked));
        } else if (origin.isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, "cross-origin request from " + origin.get() + " not allowed");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The polling side of a session: requests come and go, so there is no connection to close. */
    private static final class PollingTransport implements Transport {
        @Override
        public boolean polling() {
            return true;
        }

        @Override
        public void wake() {
            // The session wakes the waiting GET itself.
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }
    }
}
