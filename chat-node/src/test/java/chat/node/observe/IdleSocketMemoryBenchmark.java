package chat.node.observe;

import chat.node.auth.TokenSigner;
import chat.node.support.NodeProcess;
import chat.stack.LocalStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory a chat node holds per idle socket: {@code benchmark.sockets} WebSocket sessions that connected with a token
 * (Socket.IO CONNECT accepted), joined no room and answer pings, on one node in a JVM of its own. Reads the node's
 * resident set and its heap after a full GC ({@code jcmd GC.run}) before and with every socket open; the difference
 * divided by the sockets is the cost of one. {@code benchmark.nodeJar} runs another build of the node
 * ({@code java -jar}) instead of this checkout's, to compare two versions on the same machine;
 * {@code -Dbenchmark.nodeJvmArgs} adds JVM options to that node's command line (e.g. the Dockerfile's heap options).
 */
public final class IdleSocketMemoryBenchmark {
    private static final String SECRET = "idle-socket-benchmark-secret-0123456789";
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** The heap line of {@code GC.heap_info}: G1's "garbage-first heap total reserved …, committed …, used …K". */
    private static final Pattern HEAP_USED = Pattern.compile("heap .*used (\\d+)K");

    private IdleSocketMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sockets = Integer.getInteger("benchmark.sockets", 2000);
        String jar = System.getProperty("benchmark.nodeJar", "");
        Path dir = Files.createDirectories(Path.of("target", "idle-socket-memory"));
        try (LocalStack stack = LocalStack.start(dir.resolve("stack"), false)) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "CHAT_REDIS_URL", stack.redis().url(),
                    "CHAT_KAFKA_BOOTSTRAP", stack.kafka().bootstrap(),
                    "CHAT_AUTH_SECRET", SECRET,
                    "CHAT_LIMITS_CONNECTIONSPERADDRESS", "0",
                    "CHAT_LIMITS_SOCKETSPERUSER", Integer.toString(sockets + 1)));
            int port = NodeProcess.freePort();
            Process node = jar.isBlank()
                    ? NodeProcess.launch(env, port, NodeProcess.freePort(), dir.resolve("node.log"))
                    : launchJar(jar, env, port, dir.resolve("node.log"));
            try {
                measure(node.pid(), port, sockets, jar.isBlank() ? "this checkout" : jar);
            } finally {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
                node.destroyForcibly();
            }
        }
    }

    private static void measure(long pid, int port, int sockets, String build) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        TokenSigner tokens = new TokenSigner(SECRET);
        awaitUp(http, port);
        // A few sockets first, so that what every connection shares (classes, pools) is in the baseline.
        List<WebSocket> warm = connect(http, port, tokens, 50, "warm");
        warm.forEach(ws -> ws.abort());
        Thread.sleep(2000);
        long[] before = memory(pid);
        List<WebSocket> open = connect(http, port, tokens, sockets, "idle");
        Thread.sleep(3000);
        long[] with = memory(pid);
        System.out.printf("build: %s%nidle authenticated sockets: %d%n", build, open.size());
        System.out.printf("RSS:       %,d KiB -> %,d KiB: %.1f KiB per socket%n", before[0] / 1024, with[0] / 1024,
                (with[0] - before[0]) / 1024.0 / open.size());
        System.out.printf("live heap: %,d KiB -> %,d KiB: %.1f KiB per socket%n", before[1] / 1024, with[1] / 1024,
                (with[1] - before[1]) / 1024.0 / open.size());
        if (Boolean.getBoolean("benchmark.histogram")) {
            System.out.println("largest classes with every socket open:");
            jcmd(pid, "GC.class_histogram").lines().limit(28).forEach(System.out::println);
        }
        open.forEach(WebSocket::abort);
    }

    private static List<WebSocket> connect(HttpClient http, int port, TokenSigner tokens, int count, String prefix)
            throws Exception {
        List<CompletableFuture<WebSocket>> connected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Idle listener = new Idle(tokens.issue(prefix + i, prefix + i, false, Duration.ofHours(2)));
            http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port
                    + "/socket.io/?EIO=4&transport=websocket"), listener);
            connected.add(listener.accepted);
            if (i % 100 == 99) {
                CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        List<WebSocket> sockets = new ArrayList<>();
        for (CompletableFuture<WebSocket> socket : connected) {
            sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
        return sockets;
    }

    private static void awaitUp(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port
                        + "/socket.io/?EIO=4&transport=websocket"), new WebSocket.Listener() { })
                        .get(2, TimeUnit.SECONDS).abort();
                return;
            } catch (Exception e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("the node did not come up");
    }

    private static Process launchJar(String jar, Map<String, String> env, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        String jvmArgs = System.getProperty("benchmark.nodeJvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CHAT_") || name.startsWith("SERVER_"));
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().put("SERVER_SOCKETS_MANAGEMENT_PORT", Integer.toString(NodeProcess.freePort()));
        return builder.start();
    }

    /** Resident set and live heap (after a full GC) of the process, in bytes. */
    private static long[] memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        long heapKb = 0;
        for (String line : jcmd(pid, "GC.heap_info").lines().toList()) {
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                heapKb += Long.parseLong(m.group(1));
            }
        }
        Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        return new long[] {rss.find() ? Long.parseLong(rss.group(1)) * 1024 : -1, heapKb * 1024};
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** Connects with its token once the open packet arrives, then answers pings and nothing else. */
    private static final class Idle implements WebSocket.Listener {
        private final String token;
        final CompletableFuture<WebSocket> accepted = new CompletableFuture<>();

        Idle(String token) {
            this.token = token;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            String frame = data.toString();
            if (frame.startsWith("0")) {
                socket.sendText("40{\"token\":\"" + token + "\"}", true);
            } else if (frame.startsWith("40")) {
                accepted.complete(socket);
            } else if (frame.equals("2")) {
                socket.sendText("3", true);
            } else if (frame.startsWith("44")) {
                accepted.completeExceptionally(new IllegalStateException("refused: " + frame));
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            accepted.completeExceptionally(error);
        }
    }
}
