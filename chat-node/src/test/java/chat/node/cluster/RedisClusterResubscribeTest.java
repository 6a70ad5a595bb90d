package chat.node.cluster;

import chat.node.fanout.Channels;
import chat.node.support.RedisClusterFixture;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A node's subscriber connection to one master of a Redis Cluster breaks while it holds channels of several slots
 * there: it subscribes them all again, although Redis refuses one {@code SSUBSCRIBE} of channels in different slots.
 */
@ExtendWith(ChatStackExtension.class)
class RedisClusterResubscribeTest {

    @Test
    void everyChannelOfABrokenShardConnectionIsSubscribedAgainWhateverItsSlot(TestStack stack) {
        try (RedisClusterFixture redis = RedisClusterFixture.start();
             TestCluster cluster = TestCluster.of(stack, 2, redis.nodeSettings());
             SioClient sender = cluster.connect(0, "sender");
             SioClient listener = cluster.connect(1, "listener")) {
            List<String> rooms = roomsOfOneShard(stack, redis, 3);
            for (String room : rooms) {
                assertThat(sender.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
                assertThat(listener.call("join", Map.of("room", room)).path("ok").asBoolean(), is(true));
                sendAndAwait(sender, listener, room, "before the break");
            }

            try (Jedis master = new Jedis("127.0.0.1", redis.redis().masterPortOf(Channels.room(rooms.getFirst())))) {
                master.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
            }

            for (String room : rooms) {
                sendAndAwait(sender, listener, room, "after the break");
            }
        }
    }

    private static void sendAndAwait(SioClient sender, SioClient listener, String room, String text) {
        JsonNode ack = sender.call("message", Map.of("room", room, "text", text));
        assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
        listener.await("message", m -> m.path("room").asText().equals(room) && m.path("text").asText().equals(text));
    }

    /** Rooms whose channels live on one master, each in a slot of its own. */
    private static List<String> roomsOfOneShard(TestStack stack, RedisClusterFixture redis, int count) {
        List<String> rooms = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        int port = -1;
        while (rooms.size() < count) {
            String room = stack.uniqueName("shard");
            String channel = Channels.room(room);
            int owner = redis.redis().masterPortOf(channel);
            if ((port == -1 || owner == port) && slots.add(JedisClusterCRC16.getSlot(channel))) {
                port = owner;
                rooms.add(room);
            }
        }
        return rooms;
    }
}
