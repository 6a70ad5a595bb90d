package chat.loadtest.cluster;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisFramesTest {

    @Test
    void aChatNodesCountIsTheSumOfTheCountersSamplesOverTheirLabels() {
        String exposition = """
                # HELP chat_redis_frames_received_total Pub/sub frames received from Redis
                # TYPE chat_redis_frames_received_total counter
                chat_redis_frames_received_total{kind="message"} 12.0
                chat_redis_frames_received_total{kind="change",note="a } and \\" inside"} 3.0 1733356800000
                chat_redis_frames_received_total{scope="application",} 1.0E2
                # HELP chat_redis_frames_received_created When the counter was created
                chat_redis_frames_received_created{kind="message"} 1.7333568E9
                chat_redis_errors_total{operation="message"} 5.0
                chat_deliveries_total 40.0
                """;

        assertEquals(115, RedisFrames.fromPrometheus(exposition));
    }

    @Test
    void anUnlabelledSampleIsCountedToo() {
        assertEquals(7, RedisFrames.fromPrometheus("""
                # TYPE chat_redis_frames_received_total counter
                chat_redis_frames_received_total 7.0
                """));
    }

    @Test
    void metricsWithoutTheCounterAreNotAChatNodes() {
        assertThrows(IllegalArgumentException.class,
                () -> RedisFrames.fromPrometheus("# TYPE chat_deliveries_total counter\nchat_deliveries_total 4.0\n"));
    }

    @Test
    void theBaselinesCountIsItsStatsField() {
        assertEquals(42,
                RedisFrames.fromJson("{\"node\":\"sio-1\",\"adapter\":\"sharded\",\"redisFramesReceived\":42}"));
        assertThrows(IllegalArgumentException.class, () -> RedisFrames.fromJson("{\"node\":\"sio-1\"}"));
        assertThrows(IllegalArgumentException.class, () -> RedisFrames.fromJson("<html>"));
    }

    @Test
    void eachKindIsReadWhereItCountsFrames() {
        assertEquals(URI.create("http://127.0.0.1:9081/observe/metrics"), ServerKind.CHAT_NODE.stats(8081, 9081));
        assertEquals(URI.create("http://127.0.0.1:3001/stats"), ServerKind.SOCKET_IO.stats(3001, 0));
        assertEquals(URI.create("http://127.0.0.1:3002/stats"), ServerKind.SOCKET_IO_SHARDED.stats(3002, 0));
    }

    @Test
    void theBaselineKindsChooseTheirAdapter() {
        ClusterSettings cluster = new ClusterSettings("redis://127.0.0.1:6379", "127.0.0.1:9092", "", "", "", "s");

        assertEquals("classic", ServerKind.SOCKET_IO.environment("sio-1", 3001, 0, cluster).get("ADAPTER"));
        assertEquals("sharded", ServerKind.SOCKET_IO_SHARDED.environment("sio-1", 3001, 0, cluster).get("ADAPTER"));
    }
}
