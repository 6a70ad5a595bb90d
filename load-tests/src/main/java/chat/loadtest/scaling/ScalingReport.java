package chat.loadtest.scaling;

import chat.loadtest.measure.ConnectionsSummary;
import chat.loadtest.report.BenchmarksSection;
import chat.loadtest.report.MachineInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The scaling run's results as Markdown ({@code report.md}, and the section of BENCHMARKS.md between its markers),
 * JSON ({@code results.json}) and a plot ({@code scaling.png}, also kept under {@code load-tests/results/}).
 */
final class ScalingReport extends ReportSection {

    private static final BenchmarksSection SECTION = BenchmarksSection.named("scaling");
    private static final double GENERATOR_TARGET_MICROS = 19;
    private static final double FLAT = 1.15;
    static final String PLOT = "scaling.png";

    ScalingReport(ScalingPlan plan, List<CostResult> cost, Optional<StepResult> gatling, List<FleetResult> capacity,
                  Optional<ConnectionsSummary> connections, boolean capped, Duration took) {
        super(new ScalingResults(plan, cost, gatling, capacity, connections, capped, took));
    }

    record Results(ScalingPlan plan, List<CostResult> cost, List<CostResult> references, StepResult gatling,
                   List<FleetResult> capacity,
                   ConnectionsSummary connections, List<CapacityModel.Server> models) {
    }

    void write(Path out, Path benchmarks) {
        try {
            String markdown = markdown();
            Files.writeString(out.resolve("report.md"), markdown);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                    out.resolve("results.json").toFile(), new Results(plan, cost, references, gatling.orElse(null),
                            capacity, results.connections().orElse(null), model.servers()));
            if (model.plot(String.format("%d users in rooms of %d, %.2f CPU per node; %s",
                    plan.costUsers(), plan.roomSize(), plan.cpuPerNode(), LocalDate.now()), out.resolve(PLOT))) {
                Path kept = benchmarks.getParent().resolve("load-tests/results");
                Files.createDirectories(kept);
                Files.copy(out.resolve(PLOT), kept.resolve(PLOT), StandardCopyOption.REPLACE_EXISTING);
            }
            SECTION.write(benchmarks, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scaling report", e);
        }
    }

    String summaryText() {
        StringBuilder text = new StringBuilder("\n");
        for (Target target : targets()) {
            text.append("  ").append(target.line());
        }
        return text.toString();
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("## Horizontal scaling (load-tests)\n\n");
        md.append(String.format("Measured %s on %s, with chat nodes built from commit %s; the run took %d min. "
                        + "Command (from the checkout):%n%n```%nload-tests/scaling-run.sh%n```%n%n", LocalDate.now(),
                MachineInfo.describe(), System.getProperty("chat.revision", "unknown"), results.took().toMinutes()));
        md.append(targetList());
        CostSections costSections = new CostSections(results);
        md.append(costSections.generators());
        md.append(costSections.costTables());
        md.append(costSections.socketIo());
        CapacitySections capacitySections = new CapacitySections(results);
        md.append(capacitySections.modelSection());
        md.append(capacitySections.capacitySection());
        results.connections().ifPresent(c -> md.append(capacitySections.memory(c)));
        md.append(capacitySections.steps());
        return md.toString();
    }

    // ---- targets -------------------------------------------------------------------------------------------

    private record Target(String name, String value, String goal, boolean met) {
        String line() {
            return String.format("- %s: %s, target %s: **%s**%n", name, value.contains("NaN") ? "not measured" : value,
                    goal, met ? "met" : "missed");
        }
    }

    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        results.wire1().ifPresent(wire -> {
            double micros = wire.step().generatorMicrosPerDelivery();
            targets.add(new Target("load generator CPU per delivery", String.format("%.1f µs", micros),
                    String.format("≤ %.0f µs", GENERATOR_TARGET_MICROS), micros <= GENERATOR_TARGET_MICROS));
            targets.add(new Target("load generator CPU per delivery against Gatling's 57 µs of the 2026-11-28 runs",
                    String.format("%.1f× less", ScalingResults.GATLING_BEFORE_MICROS / micros), "≥ 3×",
                    ScalingResults.GATLING_BEFORE_MICROS / micros >= 3));
        });
        results.flatness().ifPresent(ratio -> targets.add(new Target(String.format(
                "node CPU per message, sharded rooms, N = %d ÷ N = 1", results.maxCostNodes()), String.format("%.2f", ratio),
                String.format("≤ %.2f", FLAT), ratio <= FLAT)));
        results.costAt(CapacityModel.CHAT, "sharded", results.maxCostNodes()).flatMap(results::againstReference).ifPresent(ratio ->
                targets.add(new Target(String.format("the same, against one node at the per-node rate of N = %d",
                        results.maxCostNodes()), String.format("%.2f", ratio), String.format("≤ %.2f", FLAT), ratio <= FLAT)));
        for (FleetResult r : capacity) {
            if (r.nodes() == 2 || r.nodes() == 4) {
                double goal = r.nodes() == 2 ? 0.9 : 0.8;
                double e = results.efficiency(r);
                targets.add(new Target("E(" + r.nodes() + ") measured", String.format("%.2f", e),
                        String.format("≥ %.1f", goal), e >= goal));
            }
        }
        model.chatSharded().ifPresent(usl -> capacity.stream().filter(r -> r.nodes() == 2).findFirst()
                .filter(r -> r.capacity() > 0).ifPresent(r -> {
                    double off = usl.capacity(2) / r.capacity() - 1;
                    targets.add(new Target("model's C(2) against the measured C(2)",
                            String.format("%+.1f %%", 100 * off), "within ±10 %", Math.abs(off) <= 0.10));
                }));
        boolean allCorrect = cost.stream().allMatch(CostResult::correct) && references.stream().allMatch(CostResult::correct)
                && capacity.stream().flatMap(r -> r.steps().stream()).allMatch(s -> s.summary().lost() == 0
                && s.summary().duplicates() == 0 && s.summary().outOfOrder() == 0);
        targets.add(new Target("deliveries lost, duplicated or out of order, every run", allCorrect ? "none" : "some",
                "none", allCorrect));
        return targets;
    }

    private String targetList() {
        return "### Targets\n\n" + targets().stream().map(Target::line).collect(Collectors.joining()) + "\n";
    }
}
