package chat.node.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The compose stack's load balancer run by the machine's nginx in front of nodes of this JVM: the routing of
 * {@code nginx/nginx.conf} (its maps and locations) as it is, its upstreams pointed at the nodes instead of
 * Docker's DNS, and an access log that tells which node each request reached. Its files live in {@code target/}.
 */
final class NginxLoadBalancer implements AutoCloseable {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration START_TIME = Duration.ofSeconds(10);
    private static final Pattern RESOLVER = Pattern.compile("(?m)^[ \\t]*resolver\\s[^;]*;\\n");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^([ \\t]*)server\\s+[\\w.-]+:\\d+[^;]*;$");
    private static final Pattern LISTEN = Pattern.compile("(?m)^([ \\t]*)listen\\s+\\d+;$");
    private static final Pattern ACCESS_LOG_OFF = Pattern.compile("(?m)^([ \\t]*)access_log\\s+off;$");
    /** The upstream address goes last: after a retry it is a list ("a, b"), which must not shift other fields. */
    private static final String ROUTING_FORMAT = "'$remote_addr $request_method $status $arg_transport $arg_sid "
            + "$upstream_addr'";

    private final Process process;
    private final Path directory;
    private final int port;

    private NginxLoadBalancer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts nginx on a free port of 127.0.0.1 in front of the nodes listening on 127.0.0.1 at these ports. */
    static NginxLoadBalancer start(List<Integer> nodePorts) {
        try {
            Path directory = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "nginx-")
                    .toAbsolutePath();
            int port = freePort();
            Path config = Files.writeString(directory.resolve("nginx.conf"),
                    localConfig(Files.readString(composeConfig()), nodePorts, port, directory));
            Process process = new ProcessBuilder(NGINX.toString(), "-p", directory + "/", "-c", config.toString(),
                    "-e", directory.resolve("error.log").toString(),
                    "-g", "daemon off; pid " + directory.resolve("nginx.pid") + ";")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("nginx.out").toFile())
                    .start();
            NginxLoadBalancer balancer = new NginxLoadBalancer(process, directory, port);
            balancer.awaitHealthy();
            return balancer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The requests nginx has logged so far; a WebSocket is logged when it closes. */
    List<Request> accessLog() {
        try {
            Path log = directory.resolve("access.log");
            return Files.exists(log) ? Files.readAllLines(log).stream().map(Request::parse).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** nginx.conf with the nodes for Docker's DNS, a port of its own, an access log and temp paths under target/. */
    private static String localConfig(String compose, List<Integer> nodePorts, int port, Path directory) {
        String config = replace(compose, RESOLVER, "a resolver", line -> "");
        config = replace(config, UPSTREAM_SERVER, "an upstream server", line -> nodePorts.stream()
                .map(node -> line.group(1) + "server 127.0.0.1:" + node + ";")
                .collect(Collectors.joining("\n")));
        config = replace(config, LISTEN, "a listen port", line -> line.group(1) + "listen 127.0.0.1:" + port + ";");
        return replace(config, ACCESS_LOG_OFF, "access_log off", line -> Stream.of(
                        "log_format routing " + ROUTING_FORMAT + ";",
                        "access_log " + directory.resolve("access.log") + " routing;",
                        "client_body_temp_path " + directory.resolve("body") + ";",
                        "proxy_temp_path " + directory.resolve("proxy") + ";",
                        "fastcgi_temp_path " + directory.resolve("fastcgi") + ";",
                        "uwsgi_temp_path " + directory.resolve("uwsgi") + ";",
                        "scgi_temp_path " + directory.resolve("scgi") + ";")
                .map(directive -> line.group(1) + directive)
                .collect(Collectors.joining("\n")));
    }

    /** Replaces every match by the text made from it, and fails if nginx.conf no longer has what this expects. */
    private static String replace(String config, Pattern pattern, String what, Function<MatchResult, String> text) {
        Matcher matcher = pattern.matcher(config);
        if (!matcher.find()) {
            throw new AssertionError("nginx/nginx.conf has no " + what + " any more; this test builds its config "
                    + "from that file and needs updating");
        }
        return matcher.replaceAll(match -> Matcher.quoteReplacement(text.apply(match)));
    }

    private void awaitHealthy() {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/lb/health")).build();
        long deadline = System.nanoTime() + START_TIME.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited (" + process.exitValue() + "): " + errors());
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while nginx started", e);
            }
            sleep();
        }
        close();
        throw new AssertionError("nginx did not answer on " + url() + " within " + START_TIME + ": " + errors());
    }

    private String errors() {
        try {
            return Files.readString(directory.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    private static Path composeConfig() {
        Path checkout = Path.of("").toAbsolutePath();
        while (!Files.exists(checkout.resolve("mvnw"))) {
            checkout = checkout.getParent();
        }
        return checkout.resolve("nginx").resolve("nginx.conf");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One line of the access log; a field nginx logged as {@code -} (no sid on a handshake, no node for a request
     * nginx answered itself) is empty.
     *
     * @param client    the client's address
     * @param method    HTTP method
     * @param status    HTTP status (101 for a WebSocket)
     * @param transport the Engine.IO transport asked for
     * @param sid       the Engine.IO session id
     * @param node      the node's address, or the addresses nginx tried in turn
     */
    record Request(String client, String method, int status, String transport, String sid, String node) {
        static Request parse(String line) {
            String[] fields = line.split(" ", 6);
            if (fields.length < 6) {
                throw new AssertionError("not a line of the routing log: " + line);
            }
            return new Request(field(fields[0]), field(fields[1]), Integer.parseInt(fields[2]), field(fields[3]),
                    field(fields[4]), field(fields[5]));
        }

        private static String field(String value) {
            return value.equals("-") ? "" : value;
        }
    }
}
