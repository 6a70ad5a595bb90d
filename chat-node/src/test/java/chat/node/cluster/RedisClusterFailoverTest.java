package chat.node.cluster;

import chat.node.support.RedisClusterFixture;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.RedisCluster;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The master that owns a busy room's slot is killed with SIGKILL: its replica takes over, sending and live delivery
 * resume on both nodes without restarting them, no seq is handed out twice, and every acknowledged message is
 * there, once and in order, for a client that rejoins with {@code since}.
 */
@ExtendWith(ChatStackExtension.class)
class RedisClusterFailoverTest {
    private static final int BEFORE = 30;
    private static final int AFTER = 30;
    private static final Duration RESEND_FOR = Duration.ofSeconds(60);

    @Test
    void aKilledMasterFailsOverAndEveryAcknowledgedMessageIsRecoverableWithSince(TestStack stack) throws Exception {
        Map<String, String> settings = new HashMap<>();
        try (RedisClusterFixture redis = RedisClusterFixture.start()) {
            settings.putAll(redis.nodeSettings());
            settings.put("chat.limits.ratepersecond", "1000");
            settings.put("chat.limits.burst", "1000");
            try (TestCluster cluster = TestCluster.withArchive(stack, 2, settings)) {
                String room = stack.uniqueName("failover");
                try (SioClient sender = cluster.connect(0, "sender");
                     SioClient listener = cluster.connect(1, "listener")) {
                    assertThat(sender.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
                    assertThat(listener.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
                    Map<String, Long> acked = new LinkedHashMap<>();
                    for (int i = 0; i < BEFORE; i++) {
                        send(sender, room, "before " + i, acked);
                    }
                    listener.await("message", m -> m.path("text").asText().equals("before " + (BEFORE - 1)));

                    RedisCluster servers = redis.redis();
                    long killed = System.nanoTime();
                    servers.kill(servers.masterPortOf("chat:{" + room + "}:seq"));
                    send(sender, room, "after 0", acked);
                    Duration firstAck = Duration.ofNanos(System.nanoTime() - killed);
                    for (int i = 1; i < AFTER; i++) {
                        send(sender, room, "after " + i, acked);
                    }
                    JsonNode last = listener.await("message",
                            m -> m.path("text").asText().equals("after " + (AFTER - 1)));
                    Duration liveAgain = Duration.ofNanos(System.nanoTime() - killed);
                    servers.awaitHealthy(Duration.ofSeconds(30));
                    System.out.printf("Redis Cluster failover: first ack %d ms after the SIGKILL, all %d messages "
                                    + "after it live on the other node %d ms after the SIGKILL%n",
                            firstAck.toMillis(), AFTER, liveAgain.toMillis());
                    assertThat(last.path("seq").asLong(), is(acked.values().stream().mapToLong(s -> s).max()
                            .orElseThrow()));

                    List<Long> seqs = new ArrayList<>(acked.values());
                    assertThat("no seq handed out twice: " + seqs, seqs.stream().distinct().count(),
                            is((long) seqs.size()));
                    long since = seqs.getFirst() - 1;
                    try (SioClient late = cluster.connect(1, "late")) {
                        JsonNode join = late.call("join", Map.of("room", room, "since", since));
                        assertThat(join.toString(), join.path("ok").asBoolean(), is(true));
                        List<String> missedIds = new ArrayList<>();
                        List<Long> missedSeqs = new ArrayList<>();
                        join.path("missed").forEach(m -> {
                            missedIds.add(m.path("id").asText());
                            missedSeqs.add(m.path("seq").asLong());
                        });
                        assertThat(missedIds, contains(acked.keySet().toArray()));
                        for (int i = 1; i < missedSeqs.size(); i++) {
                            assertThat(missedSeqs.get(i - 1), lessThan(missedSeqs.get(i)));
                        }
                    }
                }
            }
        }
    }

    /** Sends one message and resends it with the same cid until it is acknowledged, as a client app would. */
    private static void send(SioClient sender, String room, String text, Map<String, Long> acked)
            throws InterruptedException {
        long deadline = System.nanoTime() + RESEND_FOR.toNanos();
        String cid = "cid-" + text.replace(' ', '-');
        while (true) {
            JsonNode ack;
            try {
                ack = sender.call("message", Map.of("room", room, "text", text, "cid", cid));
            } catch (RuntimeException timedOut) {
                ack = null;
            }
            if (ack != null && ack.path("ok").asBoolean()) {
                acked.put(ack.path("id").asText(), ack.path("seq").asLong());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' not acknowledged within " + RESEND_FOR + "; last ack " + ack);
            }
            Thread.sleep(100);
        }
    }
}
