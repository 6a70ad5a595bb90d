package chat.loadtest.scaling;

import chat.loadtest.measure.ConnectionsSummary;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the scaling run measured, and the questions the report asks of it: the cost runs at the fixed load and one
 * node's reference runs apart, the Gatling comparison, the capacity searches and the model fitted to them.
 */
final class ScalingResults {

    /**
     * What the Gatling simulation spent per delivery in the capacity runs of 2026-11-28 (0.57 CPU for 10,215
     * deliveries/s at N = 1, JIT included), the figure the generator's target was set against.
     */
    static final double GATLING_BEFORE_MICROS = 57;

    private final ScalingPlan plan;
    /** The cost runs at the fixed load. */
    private final List<CostResult> cost;
    /** One node's runs at the per-node rate of each larger cluster. */
    private final List<CostResult> references;
    private final Optional<StepResult> gatling;
    private final List<FleetResult> capacity;
    private final Optional<ConnectionsSummary> connections;
    private final boolean capped;
    private final Duration took;
    private final CapacityModel model;

    ScalingResults(ScalingPlan plan, List<CostResult> cost, Optional<StepResult> gatling, List<FleetResult> capacity,
                   Optional<ConnectionsSummary> connections, boolean capped, Duration took) {
        this.plan = plan;
        this.cost = cost.stream().filter(c -> c.rate() == plan.costRate()).toList();
        this.references = cost.stream().filter(c -> c.rate() != plan.costRate()).toList();
        this.gatling = gatling;
        this.capacity = capacity;
        this.connections = connections;
        this.capped = capped;
        this.took = took;
        this.model = CapacityModel.of(plan, this.cost, this.references, capacity);
    }

    ScalingPlan plan() {
        return plan;
    }

    List<CostResult> cost() {
        return cost;
    }

    List<CostResult> references() {
        return references;
    }

    Optional<StepResult> gatling() {
        return gatling;
    }

    List<FleetResult> capacity() {
        return capacity;
    }

    Optional<ConnectionsSummary> connections() {
        return connections;
    }

    boolean capped() {
        return capped;
    }

    Duration took() {
        return took;
    }

    CapacityModel model() {
        return model;
    }

    Optional<CostResult> wire1() {
        return cost.stream().filter(c -> c.server().equals(CapacityModel.CHAT) && c.nodes() == 1).findFirst();
    }

    /** A cost run's node CPU per message ÷ that of one node alone at its per-node rate. */
    Optional<Double> againstReference(CostResult c) {
        return c.againstReference(references, plan.costRate());
    }

    List<CostResult> chatCost(String placement) {
        return CostResult.series(cost, CapacityModel.CHAT, placement);
    }

    List<String> servers() {
        return cost.stream().map(CostResult::server).distinct().toList();
    }

    Optional<CostResult> costAt(String server, String placement, int nodes) {
        return cost.stream().filter(c -> c.server().equals(server) && c.nodes() == nodes)
                .filter(c -> c.placement().equals(placement) || nodes == 1).findFirst();
    }

    int maxCostNodes() {
        return plan.costNodeCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    Optional<Double> flatness() {
        return growth(CapacityModel.CHAT, "sharded");
    }

    Optional<Double> growth(String placement) {
        return growth(CapacityModel.CHAT, placement);
    }

    Optional<Double> growth(String server, String placement) {
        if (maxCostNodes() <= 1) {
            return Optional.empty();
        }
        return costAt(server, placement, 1).flatMap(one -> costAt(server, placement, maxCostNodes())
                .map(max -> max.nodeCost() / one.nodeCost()));
    }

    static String latency(StepResult s) {
        return String.format("%.1f / %.1f", s.summary().endToEnd().p50(), s.summary().endToEnd().p99());
    }

    double efficiency(FleetResult r) {
        double c1 = capacity.stream().filter(x -> x.nodes() == 1).mapToDouble(FleetResult::capacity).findFirst()
                .orElse(0);
        return c1 == 0 ? 0 : r.capacity() / (r.nodes() * c1);
    }

    static String cpus(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", "));
    }

    static String percents(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f %%", 100 * v)).collect(Collectors.joining(", "));
    }
}
