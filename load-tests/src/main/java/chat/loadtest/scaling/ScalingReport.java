package chat.loadtest.scaling;

import chat.loadtest.measure.ConnectionsSummary;

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
final class ScalingReport {

    private static final String BEGIN = "<!-- load-tests:scaling:begin -->";
    private static final String END = "<!-- load-tests:scaling:end -->";
    private static final String PLOT = "scaling.png";
    private static final int[] PREDICTED = {1, 2, 4, 8, 16, 32, 64};
    private static final double GENERATOR_TARGET_MICROS = 19;
    /**
     * What the Gatling simulation spent per delivery in the capacity runs of 2026-11-28 (0.57 CPU for 10,215
     * deliveries/s at N = 1, JIT included), the figure the generator's target was set against.
     */
    private static final double GATLING_BEFORE_MICROS = 57;
    private static final double FLAT = 1.15;

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

    ScalingReport(ScalingPlan plan, List<CostResult> cost, Optional<StepResult> gatling, List<FleetResult> capacity,
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
                            capacity,
                            connections.orElse(null), model.servers()));
            if (model.plot(String.format("%d users in rooms of %d, %.2f CPU per node; %s",
                    plan.costUsers(), plan.roomSize(), plan.cpuPerNode(), LocalDate.now()), out.resolve(PLOT))) {
                Path kept = benchmarks.getParent().resolve("load-tests/results");
                Files.createDirectories(kept);
                Files.copy(out.resolve(PLOT), kept.resolve(PLOT), StandardCopyOption.REPLACE_EXISTING);
            }
            updateSection(benchmarks, markdown);
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
                MachineInfo.describe(), System.getProperty("chat.revision", "unknown"), took.toMinutes()));
        md.append(targetList());
        md.append(generators());
        md.append(costTables());
        md.append(socketIo());
        md.append(modelSection());
        md.append(capacitySection());
        connections.ifPresent(c -> md.append(memory(c)));
        md.append(steps());
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
        wire1().ifPresent(wire -> {
            double micros = wire.step().generatorMicrosPerDelivery();
            targets.add(new Target("load generator CPU per delivery", String.format("%.1f µs", micros),
                    String.format("≤ %.0f µs", GENERATOR_TARGET_MICROS), micros <= GENERATOR_TARGET_MICROS));
            targets.add(new Target("load generator CPU per delivery against Gatling's 57 µs of the 2026-11-28 runs",
                    String.format("%.1f× less", GATLING_BEFORE_MICROS / micros), "≥ 3×",
                    GATLING_BEFORE_MICROS / micros >= 3));
        });
        flatness().ifPresent(ratio -> targets.add(new Target(String.format(
                "node CPU per message, sharded rooms, N = %d ÷ N = 1", maxCostNodes()), String.format("%.2f", ratio),
                String.format("≤ %.2f", FLAT), ratio <= FLAT)));
        costAt(CapacityModel.CHAT, "sharded", maxCostNodes()).flatMap(this::againstReference).ifPresent(ratio ->
                targets.add(new Target(String.format("the same, against one node at the per-node rate of N = %d",
                        maxCostNodes()), String.format("%.2f", ratio), String.format("≤ %.2f", FLAT), ratio <= FLAT)));
        for (FleetResult r : capacity) {
            if (r.nodes() == 2 || r.nodes() == 4) {
                double goal = r.nodes() == 2 ? 0.9 : 0.8;
                double e = efficiency(r);
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

    // ---- the load generator ---------------------------------------------------------------------------------

    private Optional<CostResult> wire1() {
        return cost.stream().filter(c -> c.server().equals(CapacityModel.CHAT) && c.nodes() == 1).findFirst();
    }

    private String generators() {
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
        wire1().ifPresent(w -> rows.add(w.step()));
        for (StepResult s : rows) {
            md.append(String.format("| %s | %.0f | %.0f | %.3f | %.1f | %.1f | %s |%n", s.generator().label(),
                    s.summary().ackedPerSecond(), s.summary().deliveredPerSecond(), s.generatorCpus(),
                    s.generatorMicrosPerDelivery(), s.generatorMicrosPerMessage(), latency(s)));
        }
        gatling.ifPresent(g -> wire1().ifPresent(w -> md.append(String.format("%nIn this run, with the same lead-in "
                + "(so neither pays for its JIT in the window), raw frames cost %.1f× less per delivery than Gatling; "
                + "against Gatling's 57 µs of the 2026-11-28 runs, which had no lead-in, %.1f× less. About half of "
                + "what is left is the kernel's: a wake-up, a read and a TCP ACK per frame on loopback.%n",
                g.generatorMicrosPerDelivery() / w.step().generatorMicrosPerDelivery(),
                GATLING_BEFORE_MICROS / w.step().generatorMicrosPerDelivery()))));
        return md.append('\n').toString();
    }

    // ---- cost runs -------------------------------------------------------------------------------------------

    private String costTables() {
        StringBuilder md = new StringBuilder(String.format("""
                ### Cost per message, 1 to %d chat nodes

                A fixed total load, %.0f msg/s from %d users in rooms of %d, against N chat nodes, each in a JVM of \
                its own, pinned to a core (dealt round-robin) and not throttled, after a %d s warm-up at the same \
                load. **Sharded**: a room's members all on one node (rooms dealt round-robin), so a node receives \
                from Redis only its own rooms' messages; **spread**: every room's members dealt over all nodes, so \
                each message reaches min(N, %d) nodes. Costs are CPU-seconds per 1,000 acknowledged messages over the \
                %d s send window; "Redis frames" are the frames each node received from Redis per message, joins \
                included. "÷ one node" divides the nodes' CPU per message by that of one node running alone at the                 same per-node rate (the fixed load ÷ N, below): what the cluster itself adds, apart from each node                 running at a lower rate. Every message carries a `cid` and is acknowledged after Kafka has it.

                | placement | N | acked msg/s | node CPU-s / 1k msg | ÷ one node | each node | Redis frames / msg, each node | Redis | Kafka | generator | e2e p50 / p99 (ms) | correct |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                """, maxCostNodes(), plan.costRate(), plan.costUsers(), plan.roomSize(), plan.warmupSeconds(),
                plan.roomSize(), plan.sendSeconds()));
        for (String placement : List.of("sharded", "spread")) {
            for (CostResult c : chatCost(placement)) {
                md.append(costRow(c));
            }
        }
        flatness().ifPresent(ratio -> md.append(String.format("%nSharded rooms: the nodes' CPU per message at "
                + "N = %d is %.2f× that at N = 1.", maxCostNodes(), ratio)));
        Optional<Double> spread = growth("spread");
        spread.ifPresent(ratio -> md.append(String.format(" Spread rooms: %.2f×, the price of every node receiving "
                + "and encoding most rooms' messages.", ratio)));
        md.append("\n\n").append(referenceTable());
        return md.append("\n").toString();
    }

    private String referenceTable() {
        if (references.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("""
                One node alone at each larger cluster's per-node rate, same users and rooms (the fixed load ÷ N):

                | server | stands for N | acked msg/s | node CPU-s / 1k msg | ÷ at the full load | e2e p50 / p99 (ms) | correct |
                |---|---|---|---|---|---|---|
                """);
        for (CostResult r : references) {
            double full = costAt(r.server(), "sharded", 1).map(CostResult::nodeCost).orElse(Double.NaN);
            md.append(String.format("| %s | %d | %.0f | %.3f | %.2f | %s | %s |%n", r.server(),
                    Math.round(plan.costRate() / r.rate()), r.step().summary().ackedPerSecond(), r.nodeCost(),
                    r.nodeCost() / full, latency(r.step()), r.correct() ? "yes" : "**no**"));
        }
        return md.toString();
    }

    /** A cost run's node CPU per message ÷ that of one node alone at its per-node rate. */
    private Optional<Double> againstReference(CostResult c) {
        if (c.nodes() == 1) {
            return Optional.of(1.0);
        }
        return references.stream().filter(r -> r.server().equals(c.server()))
                .filter(r -> Math.round(plan.costRate() / r.rate()) == c.nodes()).findFirst()
                .map(r -> c.nodeCost() / r.nodeCost());
    }

    private String costRow(CostResult c) {
        StepResult s = c.step();
        List<String> each = s.nodeCpus().stream().map(s::perThousandMessages)
                .map(v -> String.format("%.3f", v)).toList();
        return String.format("| %s | %d | %.0f | %.3f | %s | %s | %s | %.3f | %.3f | %.3f | %s | %s |%n",
                c.placement(), c.nodes(), s.summary().ackedPerSecond(), c.nodeCost(),
                againstReference(c).map(r -> String.format("%.2f", r)).orElse(""), String.join(", ", each),
                s.redisFramesPerMessage().stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", ")),
                s.perThousandMessages(s.redisCpus()), s.perThousandMessages(s.kafkaCpus()),
                s.perThousandMessages(s.generatorCpus()), latency(s), c.correct() ? "yes" : "**no**");
    }

    private String socketIo() {
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
        List<CostResult> all = new ArrayList<>(chatCost("sharded"));
        all.addAll(rows);
        for (CostResult c : all) {
            StepResult s = c.step();
            md.append(String.format("| %s | %d | %.0f | %.3f | %s | %s | %s | %.3f | %.3f | %s | %s |%n", c.server(),
                    c.nodes(), s.summary().ackedPerSecond(), c.nodeCost(),
                    againstReference(c).map(r -> String.format("%.2f", r)).orElse(""),
                    s.nodeCpus().stream().map(v -> String.format("%.3f", s.perThousandMessages(v)))
                            .collect(Collectors.joining(", ")),
                    s.redisFramesPerMessage().stream().map(v -> String.format("%.2f", v))
                            .collect(Collectors.joining(", ")),
                    s.perThousandMessages(s.redisCpus()), s.perThousandMessages(s.kafkaCpus()), latency(s),
                    c.correct() ? "yes" : "**no**"));
        }
        md.append("\nWhat going from 1 to ").append(maxCostNodes()).append(" nodes does to the nodes' CPU per message: ");
        List<String> growths = new ArrayList<>();
        for (String server : servers()) {
            growth(server, "sharded").ifPresent(g -> growths.add(String.format("%s ×%.2f", server, g)));
        }
        md.append(String.join("; ", growths)).append(". At N = 1, chat node ÷ Socket.IO CPU per message: ");
        List<String> ratios = new ArrayList<>();
        Optional<CostResult> chat1 = wire1();
        for (String server : servers()) {
            if (!server.equals(CapacityModel.CHAT)) {
                costAt(server, "sharded", 1).ifPresent(sio -> chat1.ifPresent(c -> ratios.add(
                        String.format("%.2f (%s)", c.nodeCost() / sio.nodeCost(), server))));
                costAt(server, "sharded", maxCostNodes()).ifPresent(sio -> costAt(CapacityModel.CHAT, "sharded",
                        maxCostNodes()).ifPresent(c -> ratios.add(String.format("at N = %d %.2f (%s)",
                        maxCostNodes(), c.nodeCost() / sio.nodeCost(), server))));
            }
        }
        return md.append(String.join("; ", ratios)).append(".\n\n").toString();
    }

    // ---- model -----------------------------------------------------------------------------------------------

    private String modelSection() {
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
        md.append(String.format("%n![capacity against nodes: measured and modelled](load-tests/results/%s)%n%n", PLOT));
        return md.toString();
    }

    // ---- capacity search -------------------------------------------------------------------------------------

    private String capacitySection() {
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
                capped ? String.format("%.1f ms per 10 ms period", plan.cpuPerNode() * 10)
                        : "NOT APPLIED: no writable cgroup v1", plan.usersPerNode(), plan.roomSize(), plan.placement(),
                plan.sendSeconds(), (int) plan.p99Millis(), plan.maxErrorPercent(), plan.stepFactor(),
                plan.refinements(), plan.warmupSeconds()));
        for (FleetResult r : capacity) {
            String predicted = model.chatSharded().map(usl -> String.format("%.0f", usl.capacity(r.nodes())))
                    .orElse("");
            md.append(r.atCapacity().map(s -> String.format("| %d | %.0f | %s | %.0f | %.1f / %.1f / %.1f | %s | %s "
                            + "| %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.nodes(), r.capacity(), predicted,
                    s.summary().deliveredPerSecond(), s.summary().endToEnd().p50(), s.summary().endToEnd().p95(),
                    s.summary().endToEnd().p99(), cpus(s.nodeCpus()), percents(s.throttledShares()), s.redisCpus(),
                    s.kafkaCpus(), s.generatorCpus(), s.machineCpus(), efficiency(r)))
                    .orElse(String.format("| %d | no step passed | %s | | | | | | | | | |%n", r.nodes(), predicted)));
        }
        md.append("\nWhat gave out, in the first failing step above each capacity:\n\n");
        for (FleetResult r : capacity) {
            md.append(r.firstAbove().map(s -> String.format("- N = %d at %.0f msg/s offered (e2e p99 %.0f ms): nodes "
                            + "at %s CPU (cap %.2f), throttled %s; Redis %.2f, Kafka %.2f, generator %.2f; the machine "
                            + "%.2f of 2 CPUs busy%s.%n", r.nodes(), s.offeredRate(), s.summary().endToEnd().p99(),
                    cpus(s.nodeCpus()), r.cpuPerNode(), percents(s.throttledShares()), s.redisCpus(), s.kafkaCpus(),
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

    private String memory(ConnectionsSummary c) {
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

    private String steps() {
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
                s.summary().ackFailures() + s.summary().joinFailures(), cpus(s.nodeCpus()), s.generatorCpus(),
                s.machineCpus());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private List<CostResult> chatCost(String placement) {
        return cost.stream().filter(c -> c.server().equals(CapacityModel.CHAT))
                .filter(c -> c.placement().equals(placement) || c.nodes() == 1).toList();
    }

    private List<String> servers() {
        return cost.stream().map(CostResult::server).distinct().toList();
    }

    private Optional<CostResult> costAt(String server, String placement, int nodes) {
        return cost.stream().filter(c -> c.server().equals(server) && c.nodes() == nodes)
                .filter(c -> c.placement().equals(placement) || nodes == 1).findFirst();
    }

    private int maxCostNodes() {
        return plan.costNodeCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private Optional<Double> flatness() {
        return growth(CapacityModel.CHAT, "sharded");
    }

    private Optional<Double> growth(String placement) {
        return growth(CapacityModel.CHAT, placement);
    }

    private Optional<Double> growth(String server, String placement) {
        if (maxCostNodes() <= 1) {
            return Optional.empty();
        }
        return costAt(server, placement, 1).flatMap(one -> costAt(server, placement, maxCostNodes())
                .map(max -> max.nodeCost() / one.nodeCost()));
    }

    private String latency(StepResult s) {
        return String.format("%.1f / %.1f", s.summary().endToEnd().p50(), s.summary().endToEnd().p99());
    }

    private double efficiency(FleetResult r) {
        double c1 = capacity.stream().filter(x -> x.nodes() == 1).mapToDouble(FleetResult::capacity).findFirst()
                .orElse(0);
        return c1 == 0 ? 0 : r.capacity() / (r.nodes() * c1);
    }

    static String cpus(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", "));
    }

    private static String percents(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f %%", 100 * v)).collect(Collectors.joining(", "));
    }

    /** Replaces the section between the markers, or appends it; the rest of the file is left as it is. */
    private static void updateSection(Path benchmarks, String markdown) throws IOException {
        String section = BEGIN + "\n" + markdown + END + "\n";
        String existing = Files.exists(benchmarks) ? Files.readString(benchmarks) : "# Benchmarks\n\n";
        int from = existing.indexOf(BEGIN);
        int to = existing.indexOf(END);
        String updated = from >= 0 && to > from
                ? existing.substring(0, from) + section + existing.substring(to + END.length()).replaceFirst("^\n", "")
                : existing + (existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n") + section;
        Files.writeString(benchmarks, updated);
    }
}
