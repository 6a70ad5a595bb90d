package chat.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import chat.stack.ClusterFormation.Shard;
import chat.stack.ClusterTopology.Member;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What keeps a Redis Cluster from being whole, as its nodes report it: each check answers with the first thing
 * missing, or empty when nothing is, so that a wait can poll it and name what it still waited for on a timeout.
 */
final class ClusterHealth {

    private ClusterHealth() {
    }

    /**
     * What keeps the live nodes from serving every slot: each must report {@code cluster_state:ok} and see every
     * slot served by a live master. The live nodes are asked, not trusted blindly, and the masters they name are
     * checked against the live processes, since a node goes on reporting a killed master as serving until the
     * node timeout has passed.
     */
    static Optional<String> notServing(List<RedisServer> live) {
        Set<Integer> livePorts = live.stream().map(RedisServer::port).collect(Collectors.toSet());
        for (RedisServer node : live) {
            Optional<String> missing = ask(node, jedis -> notServingAt(node, jedis, livePorts));
            if (missing.isPresent()) {
                return missing;
            }
        }
        return Optional.empty();
    }

    /**
     * What keeps a new cluster from being formed: besides serving every slot, every node must know all the others,
     * see each replica follow its master, and each replica must have its link to the master up.
     *
     * @param ids the node id of each node, by port
     */
    static Optional<String> notFormed(List<Shard> shards, Map<Integer, String> ids) {
        List<RedisServer> nodes = shards.stream().flatMap(shard -> shard.nodes().stream()).toList();
        Optional<String> notServing = notServing(nodes);
        if (notServing.isPresent()) {
            return notServing;
        }
        for (RedisServer node : nodes) {
            Optional<String> missing = ask(node, jedis -> notFormedAt(node, jedis, shards, ids));
            if (missing.isPresent()) {
                return missing;
            }
        }
        return Optional.empty();
    }

    /** Asks a node; a node that does not answer is something missing too. */
    private static Optional<String> ask(RedisServer node, Function<Jedis, Optional<String>> question) {
        try (Jedis jedis = node.connect()) {
            return question.apply(jedis);
        } catch (JedisException e) {
            return Optional.of("node " + node.port() + " did not answer: " + e.getMessage());
        }
    }

    private static Optional<String> notServingAt(RedisServer node, Jedis jedis, Set<Integer> livePorts) {
        String state = field(jedis.clusterInfo(), "cluster_state");
        if (!state.equals("ok")) {
            return Optional.of("node " + node.port() + " reports cluster_state:" + state);
        }
        ClusterTopology topology = ClusterTopology.parse(jedis.clusterNodes());
        int served = topology.slotsServedBy(master -> livePorts.contains(master.port()) && !master.isFailing());
        return served == ClusterTopology.SLOTS ? Optional.empty() : Optional.of("node " + node.port() + " sees "
                + served + " of " + ClusterTopology.SLOTS + " slots served by live masters");
    }

    private static Optional<String> notFormedAt(RedisServer node, Jedis jedis, List<Shard> shards,
            Map<Integer, String> ids) {
        ClusterTopology topology = ClusterTopology.parse(jedis.clusterNodes());
        long known = topology.members().stream().filter(member -> !member.flags().contains("handshake")).count();
        if (known != ids.size()) {
            return Optional.of("node " + node.port() + " knows " + known + " of " + ids.size() + " nodes");
        }
        for (Shard shard : shards) {
            String masterId = ids.get(shard.master().port());
            for (RedisServer replica : shard.replicas()) {
                Optional<String> followed = topology.byId(ids.get(replica.port())).map(Member::masterId);
                if (!followed.equals(Optional.of(masterId))) {
                    return Optional.of("node " + node.port() + " does not yet see " + replica.port() + " follow "
                            + shard.master().port());
                }
                if (replica == node && !field(jedis.info("replication"), "master_link_status").equals("up")) {
                    return Optional.of("replica " + replica.port() + " has no link to its master yet");
                }
            }
        }
        return Optional.empty();
    }

    /** The value of one {@code name:value} line of an INFO or CLUSTER INFO reply, or "" when there is none. */
    private static String field(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).trim())
                .findFirst()
                .orElse("");
    }
}
