package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.RedisClusterClient;

class RedisClusterTest {

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private RedisCluster cluster;
    private RedisClusterClient client;

    @BeforeEach
    void startCluster() {
        cluster = RedisCluster.start(dir);
        client = RedisClusterClient.create(hostsAndPorts(cluster.seeds()));
    }

    @AfterEach
    void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void keysWrittenThroughAClusterClientAreHeldByEachOfTheThreeMasters() {
        Map<Integer, String> keyByMaster = keyOnEveryMaster();
        keyByMaster.values().forEach(key -> client.set(key, "value of " + key));

        assertThat(keyByMaster.keySet(), containsInAnyOrder(cluster.masterPorts().toArray()));
        assertThat(keyByMaster.keySet(), hasSize(3));
        keyByMaster.forEach((port, key) -> {
            assertThat(client.get(key), is("value of " + key));
            try (Jedis master = new Jedis("127.0.0.1", port)) {
                assertThat(master.get(key), is("value of " + key));
            }
        });
    }

    @Test
    void messagePublishedOnAShardChannelReachesItsSubscriber() throws InterruptedException {
        String channel = "room:{lobby}";
        CountDownLatch subscribed = new CountDownLatch(1);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        JedisShardedPubSub subscriber = new JedisShardedPubSub() {
            @Override
            public void onSSubscribe(String shardChannel, int subscribedChannels) {
                subscribed.countDown();
            }

            @Override
            public void onSMessage(String shardChannel, String message) {
                received.add(message);
            }
        };
        Thread listener = Thread.ofVirtual().start(() -> client.ssubscribe(subscriber, channel));
        assertThat(subscribed.await(WAIT_SECONDS, TimeUnit.SECONDS), is(true));

        long receivers = client.spublish(channel, "hello");

        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS), is("hello"));
        assertThat(receivers, is(1L));
        subscriber.sunsubscribe();
        assertThat(listener.join(Duration.ofSeconds(WAIT_SECONDS)), is(true));
    }

    @Test
    void replicaOfAKilledMasterServesItsKeysAndTakesWritesAfterTheFailover() {
        String key = "survivor";
        client.set(key, "written before the kill");
        // The replica acknowledged the write, so the failover cannot lose it.
        assertThat(client.waitReplicas(key, 1, 1000), is(1L));
        int killed = cluster.masterPortOf(key);

        cluster.kill(killed);
        Duration failover = cluster.awaitHealthy(FAILOVER_TIMEOUT);
        System.out.printf("Redis Cluster failover after killing master %d took %d ms%n", killed, failover.toMillis());

        assertThat(cluster.masterPorts(), hasSize(3));
        assertThat(cluster.masterPorts(), not(hasItem(killed)));
        assertThat(cluster.pids(), hasSize(5));
        assertThat(cluster.masterPortOf(key), not(killed));
        assertThat(client.get(key), is("written before the kill"));
        client.set(key, "written after the failover");
        assertThat(client.get(key), is("written after the failover"));
    }

    /** One key for each master the first thousand keys reach, by the master's port. */
    private Map<Integer, String> keyOnEveryMaster() {
        Map<Integer, String> keyByMaster = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String key = "key-" + i;
            keyByMaster.putIfAbsent(cluster.masterPortOf(key), key);
        }
        return keyByMaster;
    }

    private static Set<HostAndPort> hostsAndPorts(String seeds) {
        return Arrays.stream(seeds.split(",")).map(HostAndPort::from).collect(Collectors.toSet());
    }
}
