package chat.loadtest.performance;

import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.report.BenchmarksSection;
import chat.loadtest.report.MachineInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The performance run's results as Markdown ({@code report.md}, and the section of BENCHMARKS.md between its
 * markers, after the scaling run's) and JSON ({@code results.json}, every step).
 */
final class PerformanceReport {

    static final BenchmarksSection SECTION = BenchmarksSection.named("performance").after("scaling");

    private final PerformanceResults results;
    private final String command;
    private final String revision;

    /**
     * @param command  the command that ran it, options included
     * @param revision the checkout's commit
     */
    PerformanceReport(PerformanceResults results, String command, String revision) {
        this.results = results;
        this.command = command;
        this.revision = revision;
    }

    /** The run's output as JSON, every step with what it cost. */
    record Json(PerformancePlan plan, List<ServerUnderTest> servers, List<LadderResult> ladders, boolean pinned,
                NodeCap nodeCap, long tookSeconds) {
    }

    void write(Path out, Path benchmarks) {
        String markdown = markdown();
        try {
            Files.writeString(out.resolve("report.md"), markdown);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json")
                    .toFile(), new Json(results.plan(), results.servers(), results.ladders(), results.pinned(),
                    results.nodeCap(), results.took().toSeconds()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the performance report", e);
        }
        SECTION.write(benchmarks, markdown);
    }

    /** The targets, for the console. */
    String summaryText() {
        return results.targets().stream().map(t -> "  " + t.line()).collect(Collectors.joining("", "\n", ""));
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## Single-node performance (load-tests)\n\n");
        md.append(String.format("Measured %s on %s, from a checkout at commit %s; the run took %d min %d s. "
                        + "Command (from the checkout):%n%n```%n%s%n```%n%n", LocalDate.now(), MachineInfo.describe(),
                revision, results.took().toMinutes(), results.took().toSecondsPart(), command));
        md.append(method());
        md.append("### Targets\n\n");
        results.targets().forEach(t -> md.append(t.line()));
        md.append('\n');
        for (RoomShape shape : results.plan().shapes()) {
            md.append(shapeSection(shape));
        }
        md.append(new StepTable(results).markdown());
        return md.toString();
    }

    private String method() {
        PerformancePlan plan = results.plan();
        NodeCap cap = results.nodeCap();
        String servers = results.servers().stream()
                .map(s -> String.format("**%s**: %s", s.name(), s.description()))
                .collect(Collectors.joining("; "));
        String pinning = results.pinned()
                ? "alone on the last core, with Redis, Kafka, PostgreSQL, the load generator (WireLoad) and the run "
                + "itself pinned to the other cores"
                : "not pinned (no writable cgroup v1 CPU controller, or one core): it shares the machine with Redis, "
                + "Kafka, PostgreSQL and the load generator (WireLoad), so its figures are rougher";
        String stackWarmup = plan.stackWarmupSeconds() > 0
                ? String.format("; the run's first %d s longer, for the fresh Kafka broker", plan.stackWarmupSeconds())
                : "";
        return String.format("One server at a time, as one node %s. Servers: %s. %s For each room size, after an "
                        + "uncapped warm-up of %d s (%d s for Node.js%s) at %s, measured steps (%d s of sending, then "
                        + "a %d s window) at rates growing ×%.1f %suntil a step fails or %d steps have run; a step "
                        + "fails on an end-to-end p99 over %.0f ms, %.1f %% or more failed joins and sends, any "
                        + "delivery lost, duplicated or out of order, or under %.0f %% of the target rate sent or "
                        + "acknowledged. A delivery is a message frame a member received, the sender's own copy "
                        + "included (a message in a room of 10 makes 10); node CPU is the node process's, from "
                        + "`/proc`, over the window. Efficiency is read at saturation: of the passing steps where the "
                        + "node used %.0f %% of %s or more (%.2f CPU, and no passing step at a higher rate used less), "
                        + "the one with the most deliveries per node-CPU-second, divided by the CPU the node used, "
                        + "not by %s; when none got there, the load generator or the support core gave out first, "
                        + "and the best passing step is shown as \"not saturated\" (a lower bound: a node's cost per "
                        + "delivery usually falls as load grows). %s All servers run in the same run, so ratios "
                        + "between them carry less of the machine's noise than the absolute figures.%n%n",
                pinning, servers, capText(plan, cap), plan.warmupSeconds(), plan.warmupSeconds() / 2, stackWarmup,
                cap.capped() ? "the first rate ÷ the cap (the first step's load scaled to a whole core)"
                        : "the first rate",
                plan.leadSeconds(), plan.sendSeconds(),
                plan.stepFactor(), cap.capped() ? "under the cap " : "", plan.maxSteps(), plan.p99Millis(),
                plan.maxErrorPercent(), 100 * plan.minRateShare(), 100 * plan.saturatedShare(),
                cap.capped() ? "its cap" : "its one core", cap.saturatedCpus(plan.saturatedShare()),
                cap.capped() ? "the cap" : "the core", halfText(cap));
    }

    /** The node's cap during the ladders, or why there was none. */
    private static String capText(PerformancePlan plan, NodeCap cap) {
        if (cap.capped()) {
            return String.format("Each server is capped at %s (a CFS quota on its cgroup, 10 ms periods) during its "
                    + "ladders, and uncapped for its warm-ups and half-capacity steps, so that the node, not the core "
                    + "the load generator, Redis and Kafka share, is what gives out first (on two cores that core "
                    + "gives out before an uncapped node does). A node's cost per delivery falls as its rate grows, "
                    + "and under the cap it saturates at a fraction of a whole core's rate, so its efficiency at "
                    + "saturation here is likely below what it reaches on a whole core. After each warm-up the cap is "
                    + "applied and an unmeasured step at half the first rate (%d s; %d s for Node.js) lets the "
                    + "warm-up's late compilations finish. Users arrive at %d a second at the start of each step, "
                    + "%d × the cap, so that the capped node has joined them all before the lead-in.", cap.label(),
                    Math.max(1, plan.warmupSeconds() / 2), Math.max(1, plan.warmupSeconds() / 4),
                    cap.arrivalRate(plan.arrivalRate()), plan.arrivalRate());
        }
        if (plan.nodeCap(true).capped()) {
            return String.format("The run asked for a cap of %.2f CPU on each server during its ladders, but this "
                    + "machine has no writable cgroup v1 CPU controller: every step ran uncapped.", plan.nodeCpu());
        }
        return "Each server runs uncapped throughout.";
    }

    private static String halfText(NodeCap cap) {
        String estimate = "After each ladder, one step, uncapped (CFS throttling would dominate a p99, and the "
                + "latency target is for one node on one core), at half of one core's capacity, for latency with "
                + "room to spare: when the node saturated, one core's capacity is estimated as the messages per "
                + "node-CPU-second at saturation × 1 core, and the step runs at half of that or at half ";
        return estimate + (cap.capped() ? "the highest passing rate ÷ the cap" : "the highest passing rate")
                + ", whichever is lower; when it did not, at half the highest passing rate. Each shape says which "
                + "rate each server got and why; the step's verdict says whether the load generator kept up.";
    }

    private String shapeSection(RoomShape shape) {
        StringBuilder md = new StringBuilder(String.format("### %s%n%n", capitalized(shape.label())));
        NodeCap cap = results.nodeCap();
        md.append(String.format("%d users in %d rooms, `message` events, ladder from %.0f msg/s%s. \"current ÷ "
                        + "this\" divides the current node's deliveries per node-CPU-second by this server's.%n%n",
                shape.users(), (shape.users() + shape.roomSize() - 1) / shape.roomSize(), shape.startRate(),
                cap.capped() ? String.format(" with the node capped at %s (its half-capacity step uncapped)",
                        cap.label()) : ""));
        md.append("| server | read at | acked msg/s | deliveries/s | node CPU | deliveries / node-CPU-s "
                + "| messages / node-CPU-s | node CPU-µs / delivery | half capacity: msg/s, e2e p50 / p99 (ms) "
                + "| current ÷ this | ladder ended |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ServerUnderTest server : results.servers()) {
            results.ladder(server.name(), shape).ifPresent(ladder -> md.append(row(ladder)));
        }
        md.append('\n');
        for (ServerUnderTest server : results.servers()) {
            results.ladder(server.name(), shape).flatMap(ladder -> ladder.half().map(step -> String.format(
                    "- %s: half capacity at %.0f msg/s, uncapped: %s.%n", server.name(), step.targetRate(),
                    ladder.halfReason()))).ifPresent(md::append);
        }
        md.append('\n');
        return md.toString();
    }

    private String row(LadderResult ladder) {
        Optional<Saturation> at = results.saturation(ladder.server(), ladder.shape());
        String half = ladder.half().map(step -> {
            RoomChatSummary.Latency e2e = step.result().summary().endToEnd();
            return String.format("%.0f, %.1f / %.1f", step.targetRate(), e2e.p50(), e2e.p99());
        }).orElse("");
        OptionalDouble gain = results.ratio(ServerUnderTest.CURRENT, ladder.server(), ladder.shape(),
                LadderStep::deliveriesPerNodeCpuSecond);
        String gainText = gain.isPresent() ? String.format("%.2f", gain.getAsDouble()) : "";
        if (at.isEmpty()) {
            return String.format("| %s | no step passed | | | | | | | %s | %s | %s |%n", ladder.server(), half,
                    gainText, ladder.ending());
        }
        LadderStep step = at.get().step();
        return String.format("| %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.1f | %s | %s | %s |%n",
                ladder.server(), at.get().saturated() ? String.format("saturation, %.0f msg/s", step.targetRate())
                        : String.format("not saturated, %.0f msg/s", step.targetRate()),
                step.achievedRate(), step.deliveriesPerSecond(), step.nodeCpus(), step.deliveriesPerNodeCpuSecond(),
                step.messagesPerNodeCpuSecond(), step.nodeMicrosPerDelivery(), half, gainText, ladder.ending());
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
