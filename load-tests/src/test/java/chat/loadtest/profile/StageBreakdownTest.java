package chat.loadtest.profile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Samples in perf script's own format, each landing in the stage its frames or thread name say. */
class StageBreakdownTest {
    private static final String SAMPLES = """
            ForkJoinPool-1- 26869/26901 1234.5: 1001001 cpu-clock:ppp:
            \tffffffff81000000 tcp_sendmsg ([kernel.kallsyms])
            \t7f0000001000 int sun.nio.ch.SocketDispatcher.write0(java.io.FileDescriptor, long, int) ([JIT] tid 26869)
            \t7f0000002000 void chat.node.engineio.WebSocketTransport$$Lambda/0x00000000874a47e0.run() ([JIT] tid 26869)

            ForkJoinPool-1- 26869/26901 1234.6: 1001001 cpu-clock:ppp:
            \t7f0000003000 java.lang.Object chat.node.fanout.RedisRoomBus.publishMessage(java.lang.String, chat.common.ChatMessage) ([JIT] tid 26869)
            \t7f0000004000 void chat.node.chat.ChatEvents.dispatch(chat.node.chat.Client, io.opentelemetry.context.Context) ([JIT] tid 26869)

            kafka-producer- 26869/26950 1234.7: 1001001 cpu-clock:ppp:
            \t7f0000005000 epoll_wait (/usr/lib/libc.so.6)

            C2 CompilerThre 26869/26880 1234.8: 1001001 cpu-clock:ppp:
            \t7f0000006000 Compile::Optimize (/usr/lib/jvm/lib/server/libjvm.so)

            ForkJoinPool-1- 26869/26901 1234.9: 1001001 cpu-clock:ppp:
            \t7f0000007000 void chat.node.telemetry.NodeMetrics.event(java.lang.String, java.lang.String) ([JIT] tid 26869)
            \t7f0000008000 void chat.node.chat.ChatEvents.dispatch(chat.node.chat.Client) ([JIT] tid 26869)
            """;

    @Test
    void eachSampleGoesToTheFirstStageItsFramesOrThreadMatch() throws IOException {
        Map<String, Long> counts = StageBreakdown.count(new StringReader(SAMPLES));

        assertEquals(1L, counts.get("socket write (frames to clients)"));
        assertEquals(1L, counts.get("Redis publish (sequence script)"),
                "inside the event's handling, the script is its own stage");
        assertEquals(1L, counts.get("Kafka produce (send and the producer's I/O thread)"), "by the thread's name");
        assertEquals(1L, counts.get("JIT compiler"), "a thread name with a space");
        assertEquals(1L, counts.get("metrics"), "metrics first, wherever they run");
        assertEquals(0L, counts.get("tracing"), "a parameter's type is not a stage");
        assertEquals(5L, counts.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aJavaFrameIsReadAsItsClassAndMethod() {
        assertEquals("chat.node.X.y",
                StageBreakdown.method("7f01 java.util.List chat.node.X.y(io.opentelemetry.Foo, int) ([JIT] tid 1)"));
        assertEquals("tcp_sendmsg", StageBreakdown.method("ffff81 tcp_sendmsg ([kernel.kallsyms])"));
        assertEquals("Redis subscriber: read and decode", StageBreakdown.stageOf("redis-subscribe", List.of("read")));
    }
}
