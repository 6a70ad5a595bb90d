package chat.loadtest.scaling;

import java.util.List;
import java.util.Optional;

/** What every part of the scaling report reads: the results, and the parts of them each section uses most. */
abstract class ReportSection {

    protected final ScalingResults results;
    protected final ScalingPlan plan;
    protected final List<CostResult> cost;
    protected final List<CostResult> references;
    protected final Optional<StepResult> gatling;
    protected final List<FleetResult> capacity;
    protected final CapacityModel model;

    ReportSection(ScalingResults results) {
        this.results = results;
        this.plan = results.plan();
        this.cost = results.cost();
        this.references = results.references();
        this.gatling = results.gatling();
        this.capacity = results.capacity();
        this.model = results.model();
    }
}
