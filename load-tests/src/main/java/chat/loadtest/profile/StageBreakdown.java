package chat.loadtest.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat node's CPU by stage of a message's way through it, from {@code perf script} output of the node's process
 * (Java frames named through {@code jcmd <pid> Compiler.perfmap}, whole stacks through
 * {@code -XX:+PreserveFramePointer}). Each sample goes to the first stage, in {@link #STAGES} order, that one of its
 * frames or its thread's name matches; the order puts metrics and tracing first, so that their cost is theirs
 * wherever they run, and the stages that run inside others (the Redis script inside the event's handling) before
 * those.
 *
 * <p>Run by {@code load-tests/profile-node.sh}, which records the profile; reads the samples from standard input and
 * prints one line per stage: its share of the samples and, given the node's CPU-seconds per message
 * ({@code -DcpuPerMessage}, in microseconds), its microseconds per message.
 */
public final class StageBreakdown {
    /**
     * The stages, each with what a sample of it matches: alternatives separated by {@code |}, each a pattern for a
     * frame, or for the thread's name when it starts with {@code thread:}.
     */
    static final List<Stage> STAGES = stages(
            "metrics", "chat\\.node\\.telemetry\\.|io\\.micrometer\\.|io\\.helidon\\.metrics\\.",
            "tracing", "io\\.opentelemetry\\.",
            "Redis publish (sequence script)", "RedisRoomBus\\.publish",
            "Kafka produce (send and the producer's I/O thread)",
            "thread:kafka-producer|ArchiveProducer\\.|org\\.apache\\.kafka\\.",
            "Redis subscriber: fan-out to sockets' queues", "chat\\.node\\.chat\\.Node\\.deliver|Node\\.onFrame",
            "Redis subscriber: read and decode", "thread:redis-subscribe|JedisPubSub|chat\\.node\\.fanout\\.",
            "socket write (frames to clients)", "WebSocketTransport\\$\\$Lambda|WebSocketTransport\\.write",
            "event handling (validate, dispatch, ack)", "chat\\.node\\.chat\\.|chat\\.node\\.socketio\\.",
            "frame read and decode (WebSocket, Engine.IO)",
            "WebSocketTransport\\.onMessage|WsConnection\\.|chat\\.node\\.engineio\\.",
            "JIT compiler", "thread:C[12] CompilerThre|CompileBroker",
            "garbage collector", "thread:VM Thread|thread:GC|thread:G1",
            "virtual-thread scheduling and wake-ups",
            "ForkJoinPool|VirtualThread|Continuation|thaw|freeze|futex|Unsafe\\.(un)?park|schedule");

    /** The pid (and tid) after a sample header's thread name. */
    private static final Pattern PID = Pattern.compile("\\s+\\d+(/\\d+)?\\s+");

    private StageBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        double microsPerMessage = Double.parseDouble(System.getProperty("cpuPerMessage", "0"));
        Map<String, Long> counts = count(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%-52s %7s %s%n", "stage", "share", microsPerMessage > 0 ? "µs per message" : "");
        counts.forEach((stage, n) -> System.out.printf("%-52s %6.1f%% %s%n", stage, 100.0 * n / total,
                microsPerMessage > 0 ? String.format("%.1f", microsPerMessage * n / total) : ""));
        System.out.printf("%-52s %7d samples%n", "total", total);
    }

    /** Samples by stage, every stage listed (zero when none), "other" last. */
    static Map<String, Long> count(Reader perfScript) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        STAGES.forEach(stage -> counts.put(stage.name(), 0L));
        counts.put("other", 0L);
        BufferedReader lines = new BufferedReader(perfScript);
        String thread = null;
        List<String> frames = new ArrayList<>();
        for (String line = lines.readLine(); ; line = lines.readLine()) {
            if (line == null || line.isBlank()) {
                if (thread != null) {
                    counts.merge(stageOf(thread, frames), 1L, Long::sum);
                }
                thread = null;
                frames.clear();
                if (line == null) {
                    return counts;
                }
            } else if (!Character.isWhitespace(line.charAt(0))) {
                thread = threadOf(line);
            } else {
                frames.add(method(line.strip()));
            }
        }
    }

    static String stageOf(String thread, List<String> frames) {
        for (Stage stage : STAGES) {
            if (stage.thread() != null && stage.thread().matcher(thread).lookingAt()
                    || stage.frame() != null && frames.stream().anyMatch(f -> stage.frame().matcher(f).find())) {
                return stage.name();
            }
        }
        return "other";
    }

    /**
     * A frame line ({@code <address> <symbol> (<object>)}) as the method it names: a Java frame's
     * {@code <return type> <class>.<method>(<parameters>)} becomes {@code <class>.<method>}, so that a parameter's
     * type never matches a stage; a native or kernel symbol stays as it is.
     */
    static String method(String frame) {
        String symbol = frame.substring(frame.indexOf(' ') + 1);
        int object = symbol.lastIndexOf(" (");
        if (object > 0) {
            symbol = symbol.substring(0, object);
        }
        int parameters = symbol.indexOf('(');
        if (parameters > 0 && symbol.indexOf('.') >= 0 && symbol.indexOf('.') < parameters) {
            symbol = symbol.substring(symbol.lastIndexOf(' ', parameters) + 1, parameters);
        }
        return symbol;
    }

    /** The thread's name: the header line up to the pid, which follows the name (names may hold spaces). */
    private static String threadOf(String header) {
        Matcher pid = PID.matcher(header);
        return pid.find() ? header.substring(0, pid.start()) : header;
    }

    private static List<Stage> stages(String... namesAndPatterns) {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < namesAndPatterns.length; i += 2) {
            List<String> threads = new ArrayList<>();
            List<String> frames = new ArrayList<>();
            for (String alternative : namesAndPatterns[i + 1].split("\\|")) {
                if (alternative.startsWith("thread:")) {
                    threads.add(alternative.substring("thread:".length()));
                } else {
                    frames.add(alternative);
                }
            }
            stages.add(new Stage(namesAndPatterns[i],
                    threads.isEmpty() ? null : Pattern.compile(String.join("|", threads)),
                    frames.isEmpty() ? null : Pattern.compile(String.join("|", frames))));
        }
        return List.copyOf(stages);
    }

    /**
     * @param thread what the thread's name starts with, or null
     * @param frame  what one of the sample's frames contains, or null
     */
    record Stage(String name, Pattern thread, Pattern frame) {
    }
}
