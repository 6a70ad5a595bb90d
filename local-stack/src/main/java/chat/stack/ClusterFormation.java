package chat.stack;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Joins new cluster nodes into one Redis Cluster with plain cluster commands, so that no {@code redis-cli} is
 * needed: the nodes meet, the masters take the slots split evenly, and each replica follows its master.
 */
final class ClusterFormation {

    private static final Duration POLL = Duration.ofMillis(50);

    private final List<Shard> shards;
    private final List<RedisServer> nodes;

    /** A master and the replicas that are to follow it. */
    record Shard(RedisServer master, List<RedisServer> replicas) {

        Shard {
            replicas = List.copyOf(replicas);
        }

        List<RedisServer> nodes() {
            return Stream.concat(Stream.of(master), replicas.stream()).toList();
        }
    }

    ClusterFormation(List<Shard> shards) {
        this.shards = List.copyOf(shards);
        this.nodes = shards.stream().flatMap(shard -> shard.nodes().stream()).toList();
    }

    /** Forms the cluster, and returns once every node sees it whole: all slots served, every replica attached. */
    void form(Deadline deadline) {
        setDistinctEpochs();
        meet();
        assignSlots();
        Map<Integer, String> ids = ids();
        for (Shard shard : shards) {
            String masterId = ids.get(shard.master().port());
            for (RedisServer replica : shard.replicas()) {
                deadline.await("Replica " + replica.port() + " following " + shard.master().port(), POLL,
                        () -> replicate(replica, masterId));
            }
        }
        deadline.await("Cluster formation", POLL, () -> ClusterHealth.notFormed(shards, ids));
    }

    /** Distinct epochs from the start, as redis-cli sets them: equal ones are told apart one collision at a time. */
    private void setDistinctEpochs() {
        for (int i = 0; i < nodes.size(); i++) {
            try (Jedis jedis = nodes.get(i).connect()) {
                jedis.clusterSetConfigEpoch(i + 1);
            }
        }
    }

    /** Introduces every node to the first; gossip then introduces them to each other. */
    private void meet() {
        try (Jedis first = nodes.getFirst().connect()) {
            for (RedisServer node : nodes.subList(1, nodes.size())) {
                first.clusterMeet("127.0.0.1", node.port());
            }
        }
    }

    private void assignSlots() {
        for (int i = 0; i < shards.size(); i++) {
            int first = i * ClusterTopology.SLOTS / shards.size();
            int end = (i + 1) * ClusterTopology.SLOTS / shards.size();
            // Every slot named rather than CLUSTER ADDSLOTSRANGE, which the Redis 6.2 fallback binary lacks.
            try (Jedis master = shards.get(i).master().connect()) {
                master.clusterAddSlots(IntStream.range(first, end).toArray());
            }
        }
    }

    private Map<Integer, String> ids() {
        Map<Integer, String> ids = new HashMap<>();
        for (RedisServer node : nodes) {
            try (Jedis jedis = node.connect()) {
                ids.put(node.port(), jedis.clusterMyId());
            }
        }
        return ids;
    }

    /** Asks the replica to follow the master; refused until gossip has told the replica of the master. */
    private static Optional<String> replicate(RedisServer replica, String masterId) {
        try (Jedis jedis = replica.connect()) {
            jedis.clusterReplicate(masterId);
            return Optional.empty();
        } catch (JedisDataException e) {
            return Optional.of(e.getMessage());
        }
    }
}
