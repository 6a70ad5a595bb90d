package chat.node.observe;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint that reads every export and answers it with success, so spans pay the whole way out
 * (batching, protobuf, HTTP) and nothing is kept: a collector that costs next to nothing.
 */
final class DiscardingOtlpSink implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();

    private DiscardingOtlpSink(HttpServer server) {
        this.server = server;
    }

    static DiscardingOtlpSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        DiscardingOtlpSink sink = new DiscardingOtlpSink(server);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            sink.exports.incrementAndGet();
            // An empty ExportTraceServiceResponse: every span accepted.
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return sink;
    }

    /** The OTLP endpoint, for {@code otel.exporter.otlp.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long exports() {
        return exports.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
