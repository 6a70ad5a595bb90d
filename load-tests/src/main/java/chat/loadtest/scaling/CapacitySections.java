package chat.loadtest.scaling;

import chat.loadtest.measure.ConnectionsSummary;

import java.util.stream.Collectors;

/** The report's sections on the capacity model, the capacity searches, memory and every step. */
final class CapacitySections extends ReportSection {

    private static final int[] PREDICTED = {1, 2, 4, 8, 16, 32, 64};

    CapacitySections(ScalingResults results) {
        super(results);
    }

    String modelSection() {
        StringBuilder md = new StringBuilder(String.format("""
                ### Capacity model: the Universal Scalability Law

                C(N) = C(1)·N / (1 + σ(N−1) + κ·N(N−1)). With every node given the same CPU budget and the nodes the \
                limit, C(N)/C(1) = N / r(N), where r(N) is what a message costs the nodes of an N-node cluster \
                relative to one node. At capacity every node runs at its full budget whatever N is, so r(N) is taken \
                against one node alone at the cluster's per-node rate (the "÷ one node" column above), leaving out \
                what a node pays for running at a fraction of the fixed load. σ and κ are fitted (least squares \
                through the origin, each held at 0 or above) to r(N) − 1 = σ(N−1) + κ·N(N−1). C(1) is the capacity \
                search's measured capacity of one chat node at %.2f CPU (below). Errors are standard errors of the fit. \
                (Socket.IO gets no model: its runs above have no reference runs, and the comparison that matters, \
                what adding a node costs, is in its table.)

                """, plan.cpuPerNode()));
        md.append("| server | C(1) msg/s | σ | κ | residual | ");
        for (int n : PREDICTED) {
            md.append("C(").append(n).append(") | ");
        }
        md.append("peak N |\n|---|---|---|---|---|");
        md.append("---|".repeat(PREDICTED.length)).append("---|\n");
        for (CapacityModel.Server server : model.servers()) {
            UslModel usl = server.model();
            md.append(String.format("| %s | %.0f | %.4f ± %.4f | %.5f ± %.5f | %.3f | ", server.name(), usl.c1(),
                    usl.sigma(), usl.fit().sigmaError(), usl.kappa(), usl.fit().kappaError(),
                    usl.fit().residualError()));
            for (int n : PREDICTED) {
                md.append(String.format("%.0f | ", usl.capacity(n)));
            }
            md.append(usl.peak().isPresent() ? Integer.toString(usl.peak().getAsInt()) : "none").append(" |\n");
        }
        md.append(String.format("%nShared parts, each a ceiling whatever N is: %s.%n",
                model.ceilings().stream().map(c -> String.format("%s %.0f msg/s", c.name(), c.messagesPerSecond()))
                        .collect(Collectors.joining("; "))));
        model.chatSharded().flatMap(usl -> UslModel.firstCeiling(usl, model.ceilings(), 64)).ifPresentOrElse(
                hit -> md.append(String.format("With sharded rooms, the first to give out as nodes are added is "
                        + "**%s**, at N = %d (%.0f msg/s).%n", hit.ceiling().name(), hit.nodes(),
                        hit.ceiling().messagesPerSecond())),
                () -> md.append("With sharded rooms, no shared part gives out before N = 64.\n"));
        md.append(CapacityModel.CEILINGS_EXPLAINED);
        md.append(String.format("%n![capacity against nodes: measured and modelled](load-tests/results/%s)%n%n", ScalingReport.PLOT));
        return md.toString();
    }

    // ---- capacity search -------------------------------------------------------------------------------------

    String capacitySection() {
        if (capacity.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format("""
                ### Measured capacity, %.2f CPU per node

                Each node capped at %.2f CPU by a cgroup v1 CFS quota (%s); all nodes pinned to the last core, and \
                Redis, Kafka, PostgreSQL and the load generator, uncapped, pinned to the other cores, so that a \
                node's latency is its own and not the support processes' claim on its core (on two cores: up to \
                four nodes at 0.25 CPU fill core 1, everything else shares core 0). %d users per node, rooms of %d, %s placement. Each step \
                sends at one fixed rate for %d s; C(N) is the acknowledged rate of the fastest step whose end-to-end \
                p99 stayed at or below %d ms with fewer than %.1f %% failed operations and no delivery lost, \
                duplicated or out of order (rates grow ×%.1f until a step fails, then %d bisections; a rate fails \
                only if it fails twice). A %d s warm-up at one CPU per node comes first.

                | N | capacity (msg/s) | model | deliveries/s | e2e p50 / p95 / p99 (ms) | CPU of each node | throttled | Redis | Kafka | generator | machine | E(N) |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                """, plan.cpuPerNode(), plan.cpuPerNode(),
                results.capped() ? String.format("%.1f ms per 10 ms period", plan.cpuPerNode() * 10)
                        : "NOT APPLIED: no writable cgroup v1", plan.usersPerNode(), plan.roomSize(), plan.placement(),
                plan.sendSeconds(), (int) plan.p99Millis(), plan.maxErrorPercent(), plan.stepFactor(),
                plan.refinements(), plan.warmupSeconds()));
        for (FleetResult r : capacity) {
            String predicted = model.chatSharded().map(usl -> String.format("%.0f", usl.capacity(r.nodes())))
                    .orElse("");
            md.append(r.atCapacity().map(s -> String.format("| %d | %.0f | %s | %.0f | %.1f / %.1f / %.1f | %s | %s "
                            + "| %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.nodes(), r.capacity(), predicted,
                    s.summary().deliveredPerSecond(), s.summary().endToEnd().p50(), s.summary().endToEnd().p95(),
                    s.summary().endToEnd().p99(), ScalingResults.cpus(s.nodeCpus()), ScalingResults.percents(s.throttledShares()), s.redisCpus(),
                    s.kafkaCpus(), s.generatorCpus(), s.machineCpus(), results.efficiency(r)))
                    .orElse(String.format("| %d | no step passed | %s | | | | | | | | | |%n", r.nodes(), predicted)));
        }
        md.append("\nWhat gave out, in the first failing step above each capacity:\n\n");
        for (FleetResult r : capacity) {
            md.append(r.firstAbove().map(s -> String.format("- N = %d at %.0f msg/s offered (e2e p99 %.0f ms): nodes "
                            + "at %s CPU (cap %.2f), throttled %s; Redis %.2f, Kafka %.2f, generator %.2f; the machine "
                            + "%.2f of 2 CPUs busy%s.%n", r.nodes(), s.offeredRate(), s.summary().endToEnd().p99(),
                    ScalingResults.cpus(s.nodeCpus()), r.cpuPerNode(), ScalingResults.percents(s.throttledShares()), s.redisCpus(), s.kafkaCpus(),
                    s.generatorCpus(), s.machineCpus(), verdict(r, s)))
                    .orElse(String.format("- N = %d: no failing step above capacity was measured.%n", r.nodes())));
        }
        return md.append('\n').toString();
    }

    private static String verdict(FleetResult r, StepResult s) {
        double nodeCpu = s.nodeCpus().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (nodeCpu >= 0.9 * r.cpuPerNode()) {
            return " (the nodes were at their cap: they were the limit)";
        }
        return s.machineCpus() > 1.8 ? " (the machine was saturated: it, not the nodes, was the limit)"
                : " (neither the nodes nor the machine at their limit: latency gave out first)";
    }

    String memory(ConnectionsSummary c) {
        StringBuilder md = new StringBuilder(String.format("""
                ### Memory per connection

                ConnectionsSimulation: %d idle sockets ramped at 250/s onto one chat node, %d completed the \
                handshake, %d failed; "live heap" is after a full GC.

                | node | sockets | RSS per socket | live heap per socket |
                |---|---|---|---|
                """, c.target(), c.connected(), c.failed()));
        for (ConnectionsSummary.NodeMemory node : c.nodes()) {
            md.append(String.format("| %s | %d | %.1f KiB | %.1f KiB |%n", node.url(), node.sockets(),
                    node.rssPerSocketKb(), node.liveHeapPerSocketKb()));
        }
        return md.append('\n').toString();
    }

    String steps() {
        StringBuilder md = new StringBuilder("<details><summary>Every measured step</summary>\n\n"
                + "| run | N | offered msg/s | result | acked/s | deliveries/s | e2e p99 (ms) | lost | failed acks "
                + "| CPU of each node | generator | machine |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CostResult c : cost) {
            md.append(stepRow("cost: " + c.server() + ", " + c.placement(), c.nodes(), c.step()));
        }
        gatling.ifPresent(g -> md.append(stepRow("cost: chat node via Gatling", 1, g)));
        for (FleetResult r : capacity) {
            for (StepResult s : r.steps()) {
                md.append(stepRow("capacity", r.nodes(), s));
            }
        }
        return md.append("\n</details>\n").toString();
    }

    private static String stepRow(String run, int nodes, StepResult s) {
        return String.format("| %s | %d | %.0f | %s | %.0f | %.0f | %.1f | %d | %d | %s | %.2f | %.2f |%n", run, nodes,
                s.offeredRate(), s.passed() ? "pass" : "fail", s.summary().ackedPerSecond(),
                s.summary().deliveredPerSecond(), s.summary().endToEnd().p99(), s.summary().lost(),
                s.summary().ackFailures() + s.summary().joinFailures(), ScalingResults.cpus(s.nodeCpus()), s.generatorCpus(),
                s.machineCpus());
    }
}
