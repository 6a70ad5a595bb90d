package chat.loadtest.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The report's sections on the load generator, the cost runs and Socket.IO's adapters. */
final class CostSections extends ReportSection {

    CostSections(ScalingResults results) {
        super(results);
    }

    String generators() {
        StringBuilder md = new StringBuilder(String.format("""
                ### The load generator

                The same load (%d users in rooms of %d, %.0f msg/s in all, rooms sharded) against one uncapped chat \
                node, from each generator in turn, in the same run. CPU is the generator JVM's, from `/proc` over \
                the send window; "per delivery" divides it by the deliveries it received in that window, "per \
                message" by the messages acknowledged.

                | generator | acked msg/s | deliveries/s | CPU | µs per delivery | µs per message | e2e p50 / p99 (ms) |
                |---|---|---|---|---|---|---|
                """, plan.costUsers(), plan.roomSize(), plan.costRate()));
        List<StepResult> rows = new ArrayList<>();
        gatling.ifPresent(rows::add);
        results.wire1().ifPresent(w -> rows.add(w.step()));
        for (StepResult s : rows) {
            md.append(String.format("| %s | %.0f | %.0f | %.3f | %.1f | %.1f | %s |%n", s.generator().label(),
                    s.summary().ackedPerSecond(), s.summary().deliveredPerSecond(), s.generatorCpus(),
                    s.generatorMicrosPerDelivery(), s.generatorMicrosPerMessage(), ScalingResults.latency(s)));
        }
        gatling.ifPresent(g -> results.wire1().ifPresent(w -> md.append(String.format("%nIn this run, with the same lead-in "
                + "(so neither pays for its JIT in the window), raw frames cost %.1f× less per delivery than Gatling; "
                + "against Gatling's 57 µs of the 2026-11-28 runs, which had no lead-in, %.1f× less. About half of "
                + "what is left is the kernel's: a wake-up, a read and a TCP ACK per frame on loopback.%n",
                g.generatorMicrosPerDelivery() / w.step().generatorMicrosPerDelivery(),
                ScalingResults.GATLING_BEFORE_MICROS / w.step().generatorMicrosPerDelivery()))));
        return md.append('\n').toString();
    }

    // ---- cost runs -------------------------------------------------------------------------------------------

    String costTables() {
        StringBuilder md = new StringBuilder(String.format("""
                ### Cost per message, 1 to %d chat nodes

                A fixed total load, %.0f msg/s from %d users in rooms of %d, against N chat nodes, each in a JVM of \
                its own, pinned to a core (dealt round-robin) and not throttled, after a warm-up at the same load \
                (%d s, times N/2 from N = 4 on: N fresh JVMs compile at once, each at 1/N of the load) and, from \
                N = 2 on, one unmeasured step; each measured step also sends for %d s before its window. \
                **Sharded**: a room's members all on one node (rooms dealt round-robin), so a node receives from \
                Redis only its own rooms' messages; **spread**: every room's members dealt over all nodes, so \
                each message reaches min(N, %d) nodes. Costs are CPU-seconds per 1,000 acknowledged messages over the \
                %d s send window; "Redis frames" are the frames each node received from Redis per message, joins \
                included. "÷ one node" divides the nodes' CPU per message by that of one node running alone at the \
                same per-node rate (the fixed load ÷ N, below): what the cluster itself adds, apart from each node \
                running at a lower rate. Every message carries a `cid` and is acknowledged after Kafka has it.

                | placement | N | acked msg/s | node CPU-s / 1k msg | ÷ one node | each node | Redis frames / msg, each node | Redis | Kafka | generator | e2e p50 / p99 (ms) | correct |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                """, results.maxCostNodes(), plan.costRate(), plan.costUsers(), plan.roomSize(), plan.warmupSeconds(),
                plan.leadSeconds(),
                plan.roomSize(), plan.sendSeconds()));
        for (String placement : List.of("sharded", "spread")) {
            for (CostResult c : results.chatCost(placement)) {
                md.append(costRow(c));
            }
        }
        results.flatness().ifPresent(ratio -> md.append(String.format("%nSharded rooms: the nodes' CPU per message at "
                + "N = %d is %.2f× that at N = 1.", results.maxCostNodes(), ratio)));
        Optional<Double> spread = results.growth("spread");
        spread.ifPresent(ratio -> md.append(String.format(" Spread rooms: %.2f×, the price of every node receiving "
                + "and encoding most rooms' messages.", ratio)));
        md.append("\n\n").append(referenceTable());
        return md.append("\n").toString();
    }

    String referenceTable() {
        if (references.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("""
                One node alone at each larger cluster's per-node rate, same users and rooms (the fixed load ÷ N):

                | server | stands for N | acked msg/s | node CPU-s / 1k msg | ÷ at the full load | e2e p50 / p99 (ms) | correct |
                |---|---|---|---|---|---|---|
                """);
        for (CostResult r : references) {
            double full = results.costAt(r.server(), "sharded", 1).map(CostResult::nodeCost).orElse(Double.NaN);
            md.append(String.format("| %s | %d | %.0f | %.3f | %.2f | %s | %s |%n", r.server(),
                    r.standsFor(plan.costRate()), r.step().summary().ackedPerSecond(), r.nodeCost(),
                    r.nodeCost() / full, ScalingResults.latency(r.step()), r.correct() ? "yes" : "**no**"));
        }
        return md.toString();
    }

    String costRow(CostResult c) {
        StepResult s = c.step();
        List<String> each = s.nodeCpus().stream().map(s::perThousandMessages)
                .map(v -> String.format("%.3f", v)).toList();
        return String.format("| %s | %d | %.0f | %.3f | %s | %s | %s | %.3f | %.3f | %.3f | %s | %s |%n",
                c.placement(), c.nodes(), s.summary().ackedPerSecond(), c.nodeCost(),
                results.againstReference(c).map(r -> String.format("%.2f", r)).orElse(""), String.join(", ", each),
                s.redisFramesPerMessage().stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", ")),
                s.perThousandMessages(s.redisCpus()), s.perThousandMessages(s.kafkaCpus()),
                s.perThousandMessages(s.generatorCpus()), ScalingResults.latency(s), c.correct() ? "yes" : "**no**");
    }

    String socketIo() {
        List<CostResult> rows = cost.stream().filter(c -> !c.server().equals(CapacityModel.CHAT)).toList();
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format("""
                ### Against Socket.IO, both Redis adapters

                The same fixed load, rooms sharded, against N Socket.IO 4 nodes (`load-tests/baseline/`: `seq` by \
                Redis `INCR`, kafkajs producing to `chat.messages` with acks=-1, the ack sent after Kafka), once with \
                the classic `@socket.io/redis-adapter` (one channel: every node receives every message) and once \
                with its sharded adapter (`createShardedAdapter`, `subscriptionMode: "dynamic"`: Redis 7 sharded \
                pub/sub, a channel per room). Same pinning, same warm-up.

                | server | N | acked msg/s | node CPU-s / 1k msg | ÷ one node | each node | Redis frames / msg, each node | Redis | Kafka | e2e p50 / p99 (ms) | correct |
                |---|---|---|---|---|---|---|---|---|---|---|
                """));
        List<CostResult> all = new ArrayList<>(results.chatCost("sharded"));
        all.addAll(rows);
        for (CostResult c : all) {
            StepResult s = c.step();
            md.append(String.format("| %s | %d | %.0f | %.3f | %s | %s | %s | %.3f | %.3f | %s | %s |%n", c.server(),
                    c.nodes(), s.summary().ackedPerSecond(), c.nodeCost(),
                    results.againstReference(c).map(r -> String.format("%.2f", r)).orElse(""),
                    s.nodeCpus().stream().map(v -> String.format("%.3f", s.perThousandMessages(v)))
                            .collect(Collectors.joining(", ")),
                    s.redisFramesPerMessage().stream().map(v -> String.format("%.2f", v))
                            .collect(Collectors.joining(", ")),
                    s.perThousandMessages(s.redisCpus()), s.perThousandMessages(s.kafkaCpus()), ScalingResults.latency(s),
                    c.correct() ? "yes" : "**no**"));
        }
        md.append("\nWhat going from 1 to ").append(results.maxCostNodes()).append(" nodes does to the nodes' CPU per message: ");
        List<String> growths = new ArrayList<>();
        for (String server : results.servers()) {
            results.growth(server, "sharded").ifPresent(g -> growths.add(String.format("%s ×%.2f", server, g)));
        }
        md.append(String.join("; ", growths)).append(". At N = 1, chat node ÷ Socket.IO CPU per message: ");
        List<String> ratios = new ArrayList<>();
        Optional<CostResult> chat1 = results.wire1();
        for (String server : results.servers()) {
            if (!server.equals(CapacityModel.CHAT)) {
                results.costAt(server, "sharded", 1).ifPresent(sio -> chat1.ifPresent(c -> ratios.add(
                        String.format("%.2f (%s)", c.nodeCost() / sio.nodeCost(), server))));
                results.costAt(server, "sharded", results.maxCostNodes()).ifPresent(sio -> results.costAt(CapacityModel.CHAT, "sharded",
                        results.maxCostNodes()).ifPresent(c -> ratios.add(String.format("at N = %d %.2f (%s)",
                        results.maxCostNodes(), c.nodeCost() / sio.nodeCost(), server))));
            }
        }
        return md.append(String.join("; ", ratios)).append(".\n\n").toString();
    }

    // ---- model -----------------------------------------------------------------------------------------------
}
