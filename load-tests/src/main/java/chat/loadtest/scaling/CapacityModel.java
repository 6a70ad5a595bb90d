package chat.loadtest.scaling;

import chat.loadtest.cluster.ServerKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Universal Scalability Law fitted to each server's cost runs, the shared parts' ceilings, and the plot of
 * both against the measured capacities.
 */
final class CapacityModel {

    static final String CHAT = ServerKind.CHAT_NODE.label();
    static final String CHAT_SHARDED = "chat node, sharded rooms";
    static final String CEILINGS_EXPLAINED = """
            One Redis is single-threaded: its ceiling is one CPU divided by the Redis CPU per message of the sharded \
            cost run at the largest N. The Kafka broker's is the machine's 2 cores divided by its CPU per message. \
            The archiver's and PostgreSQL's is their rate as `ArchiverBenchmark` measured it (BENCHMARKS.md, \
            "Archiver throughput", less the erasure index's cost), one archiver on this machine. A Redis Cluster \
            (BENCHMARKS.md, "Redis tier") and more brokers and archivers lift these ceilings; nodes alone do not.
            """;
    private static final int MAX_NODES = 64;

    /** One server's fitted model, named as in the tables. */
    record Server(String name, UslModel model) {
    }

    private final List<Server> servers;
    private final List<UslModel.Ceiling> ceilings;
    private final List<ScalingPlot.MeasuredPoint> measured;
    private final double c1;

    private CapacityModel(List<Server> servers, List<UslModel.Ceiling> ceilings,
                          List<ScalingPlot.MeasuredPoint> measured, double c1) {
        this.servers = servers;
        this.ceilings = ceilings;
        this.measured = measured;
        this.c1 = c1;
    }

    static CapacityModel of(ScalingPlan plan, List<CostResult> cost, List<CostResult> references,
                            List<FleetResult> capacity) {
        double measuredC1 = capacity.stream().filter(r -> r.nodes() == 1).mapToDouble(FleetResult::capacity)
                .findFirst().orElse(0);
        List<Server> servers = new ArrayList<>();
        for (String server : cost.stream().map(CostResult::server).distinct().toList()) {
            List<String> placements = server.equals(CHAT) ? List.of("sharded", "spread") : List.of("sharded");
            for (String placement : placements) {
                List<CostResult> runs = CostResult.series(cost, server, placement);
                String name = server.equals(CHAT) ? "chat node, " + placement + " rooms" : server;
                fit(plan, runs, references, server.equals(CHAT) ? measuredC1 : 0)
                        .ifPresent(m -> servers.add(new Server(name, m)));
            }
        }
        List<UslModel.Ceiling> ceilings = new ArrayList<>();
        int maxNodes = cost.stream().filter(c -> c.server().equals(CHAT) && c.placement().equals("sharded"))
                .mapToInt(CostResult::nodes).max().orElse(0);
        cost.stream().filter(c -> c.server().equals(CHAT) && c.nodes() == maxNodes && c.placement().equals("sharded"))
                .findFirst().ifPresent(c -> {
                    StepResult s = c.step();
                    if (s.redisCpus() > 0) {
                        ceilings.add(new UslModel.Ceiling("one Redis", 1000 / s.perThousandMessages(s.redisCpus())));
                    }
                    if (s.kafkaCpus() > 0) {
                        ceilings.add(new UslModel.Ceiling("the Kafka broker",
                                2 * 1000 / s.perThousandMessages(s.kafkaCpus())));
                    }
                });
        ceilings.add(new UslModel.Ceiling("archiver and PostgreSQL", plan.archiverRate()));
        List<ScalingPlot.MeasuredPoint> measured = capacity.stream().filter(r -> r.capacity() > 0)
                .map(r -> new ScalingPlot.MeasuredPoint("C(" + r.nodes() + ") measured", r.nodes(), r.capacity(),
                        CHAT_SHARDED)).toList();
        return new CapacityModel(List.copyOf(servers), List.copyOf(ceilings), measured, measuredC1);
    }

    /**
     * The model of one server's runs, with C(1) from a capacity search when there is one, else from the node CPU
     * budget divided by the cost per message at N = 1.
     *
     * <p>At capacity every node runs at its full budget, whatever N is, so the model takes each cluster's cost
     * relative to one node alone at the cluster's per-node rate (its reference run): what the cluster adds, without
     * what a node running at a fraction of the fixed load pays. A server without reference runs gets no model.
     */
    private static Optional<UslModel> fit(ScalingPlan plan, List<CostResult> runs, List<CostResult> references,
                                          double measuredC1) {
        Optional<CostResult> one = runs.stream().filter(c -> c.nodes() == 1).findFirst();
        if (one.isEmpty() || !(one.get().nodeCost() > 0)) {
            return Optional.empty();
        }
        double c1 = measuredC1 > 0 ? measuredC1 : plan.cpuPerNode() * 1000 / one.get().nodeCost();
        String server = one.get().server();
        if (references.stream().noneMatch(r -> r.server().equals(server))) {
            return Optional.empty();
        }
        try {
            List<UslModel.CostPoint> points = new ArrayList<>();
            for (CostResult c : runs) {
                double relative = c.againstReference(references, plan.costRate()).orElse(Double.NaN);
                if (relative > 0 && Double.isFinite(relative)) {
                    points.add(new UslModel.CostPoint(c.nodes(), relative));
                }
            }
            return Optional.of(UslModel.fit(c1, points));
        } catch (IllegalArgumentException e) {
            System.out.println("No capacity model for " + runs.getFirst().server() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    List<Server> servers() {
        return servers;
    }

    List<UslModel.Ceiling> ceilings() {
        return ceilings;
    }

    Optional<UslModel> chatSharded() {
        return servers.stream().filter(s -> s.name().equals(CHAT_SHARDED)).map(Server::model).findFirst();
    }

    /** Draws the plot; false when there is no model to draw. */
    boolean plot(String subtitle, Path png) {
        if (servers.isEmpty()) {
            return false;
        }
        double reference = c1 > 0 ? c1 : servers.getFirst().model().c1();
        new ScalingPlot("Capacity against nodes: USL fitted to the cost runs", subtitle, reference,
                servers.stream().map(s -> new ScalingPlot.Curve(s.name(), s.model())).toList(), measured, ceilings,
                MAX_NODES).write(png);
        return true;
    }
}
