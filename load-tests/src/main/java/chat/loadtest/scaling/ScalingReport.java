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
 * JSON ({@code results.json}) and a plot ({@code capacity.png}, also kept as {@code load-tests/results/}).
 */
final class ScalingReport {

    /** Each CPU cap has its own section, so that runs with different caps stand side by side. */
    private static final String MARKER = "<!-- load-tests:scaling:cpu=%s:%s -->";
    /** Below this share of a core a single-threaded server (Redis) or the broker had room to spare. */
    private static final double BUSY = 0.7;

    private final ScalingPlan plan;
    private final List<FleetResult> chat;
    private final Optional<FleetResult> socketIo;
    private final Optional<ConnectionsSummary> connections;
    private final boolean capped;
    private final Duration took;

    ScalingReport(ScalingPlan plan, List<FleetResult> chat, Optional<FleetResult> socketIo,
                  Optional<ConnectionsSummary> connections, boolean capped, Duration took) {
        this.plan = plan;
        this.chat = chat;
        this.socketIo = socketIo;
        this.connections = connections;
        this.capped = capped;
        this.took = took;
    }

    void write(Path out, Path benchmarks) {
        try {
            String markdown = markdown();
            Files.writeString(out.resolve("report.md"), markdown);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(out.resolve("results.json").toFile(), new Results(plan, chat, socketIo.orElse(null), connections.orElse(null)));
            List<CapacityPlot.Point> points = chat.stream()
                    .map(r -> new CapacityPlot.Point(r.nodes(), r.capacity())).toList();
            CapacityPlot.Point baseline = socketIo.map(r -> new CapacityPlot.Point(r.nodes(), r.capacity()))
                    .orElse(null);
            String subtitle = String.format("%.2f CPU per node, %d users per node, rooms of %d, %s placement, %s",
                    plan.cpuPerNode(), plan.usersPerNode(), plan.roomSize(), plan.placement(), LocalDate.now());
            CapacityPlot.write(out.resolve("capacity.png"), points, baseline, subtitle);
            Path kept = benchmarks.getParent().resolve("load-tests/results");
            Files.createDirectories(kept);
            Files.copy(out.resolve("capacity.png"), kept.resolve(plotName()),
                    StandardCopyOption.REPLACE_EXISTING);
            updateSection(benchmarks, markdown, String.format(MARKER, plan.cpuPerNode(), "begin"),
                    String.format(MARKER, plan.cpuPerNode(), "end"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scaling report", e);
        }
    }

    /** What {@code results.json} holds; {@code socketIo} and {@code connections} are null when not measured. */
    private String plotName() {
        return String.format("capacity-cpu%s.png", plan.cpuPerNode());
    }

    record Results(ScalingPlan plan, List<FleetResult> chat, FleetResult socketIo, ConnectionsSummary connections) {
    }

    String summaryText() {
        StringBuilder text = new StringBuilder("\nCapacity (messages/s at p99 <= " + (int) plan.p99Millis() + " ms):\n");
        for (FleetResult r : chat) {
            text.append(String.format("  %d chat node(s): %.0f  E(%d) = %.2f%n", r.nodes(), r.capacity(), r.nodes(),
                    efficiency(r)));
        }
        socketIo.ifPresent(s -> text.append(String.format("  %d Socket.IO node(s): %.0f; chat/Socket.IO per CPU = %.2f%n",
                s.nodes(), s.capacity(), ratio().orElse(0.0))));
        return text.toString();
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format("## Horizontal scaling (load-tests), %.2f CPU per node%n%n", plan.cpuPerNode()));
        md.append(String.format("Measured %s on %s, with chat nodes built from commit %s; the run took %d min. "
                        + "Command (from the checkout):%n%n", LocalDate.now(), MachineInfo.describe(),
                System.getProperty("chat.revision", "unknown"), took.toMinutes()));
        md.append("```\nload-tests/scaling-run.sh\n```\n\n");
        md.append(setup());
        md.append(scalingTable());
        md.append(String.format("%n![capacity against nodes](load-tests/results/%s)%n%n", plotName()));
        socketIo.ifPresent(s -> md.append(comparison(s)));
        connections.ifPresent(c -> md.append(memory(c)));
        md.append(bottlenecks());
        md.append(targets());
        md.append(steps());
        return md.toString();
    }

    private String setup() {
        return String.format("""
                Every node (chat node or Socket.IO node) runs in a process of its own, capped at %.2f CPU by a cgroup \
                v1 CFS quota (%s) and pinned to one core (nodes dealt round-robin over the cores), so that a \
                multi-threaded process cannot spend its quota on two cores at once and then stall for the rest of \
                the period; Redis, Kafka, PostgreSQL and the Gatling JVM are neither capped nor pinned, and all of them \
                together get a large `cpu.shares`, so that other work on the machine slows them as little as \
                possible. Each step of a capacity search is one RoomChat run: %d users per node arrive at 100 per \
                second (open model), join rooms of %d, and then all send at one fixed per-user rate for %d s, each \
                message with a `cid` and an ack check. Rooms are **%s**: %s The capacity C(N) is the acknowledged \
                message rate of the fastest step whose end-to-end p99 (sender's clock to every other member's \
                receipt) stayed at or below %d ms with fewer than %.1f %% failed connects, joins, acks or \
                deliveries, and no delivery lost, duplicated or out of order. Rates grow by ×%.1f until a step \
                fails, then the gap is bisected %d times; a rate fails only if it fails twice in a row. Each cluster \
                first gets a %d s warm-up step at one CPU per node, so that the JVM has compiled its hot paths as a \
                long-running node has, then a short unmeasured step under the cap. Deliveries/s counts every copy a \
                client received, the sender's own included. CPU columns are CPUs (cores) used during the send window \
                of the step at capacity, from `/proc/<pid>/stat`; "throttled" is the share of 10 ms periods in which \
                the cap held the node back; "machine" is the whole machine's busy CPUs, other work on it included.

                """, plan.cpuPerNode(), capped ? String.format("%.1f ms per 10 ms period", plan.cpuPerNode() * 10) : "NOT APPLIED: no writable cgroup v1",
                plan.usersPerNode(), plan.roomSize(), plan.sendSeconds(), plan.placement(),
                "sharded".equals(plan.placement())
                        ? "all members of a room connect to the same node, rooms dealt round-robin over the nodes, "
                        + "as behind a load balancer that routes by room; a node then receives from Redis only "
                        + "its own rooms' messages (per-room channels)."
                        : "the members of every room are dealt round-robin over the nodes, so every message "
                        + "reaches every node.",
                (int) plan.p99Millis(), plan.maxErrorPercent(), plan.stepFactor(), plan.refinements(),
                plan.warmupSeconds());
    }

    private String scalingTable() {
        StringBuilder md = new StringBuilder("| N | capacity (msg/s) | deliveries/s | e2e p50 / p95 / p99 / max (ms) "
                + "| CPU of each node | throttled | Redis | Kafka | PostgreSQL | Gatling | machine | E(N) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FleetResult r : chat) {
            md.append(row(r)).append(String.format(" %.2f |%n", efficiency(r)));
        }
        return md.toString();
    }

    private String row(FleetResult r) {
        return r.atCapacity().map(s -> String.format("| %d | %.0f | %.0f | %.0f / %.0f / %.0f / %.0f | %s | %s | %.2f | %.2f "
                                + "| %.2f | %.2f | %.2f |",
                        r.nodes(), r.capacity(), s.summary().deliveredPerSecond(), s.summary().endToEnd().p50(),
                        s.summary().endToEnd().p95(), s.summary().endToEnd().p99(), s.summary().endToEnd().max(),
                        cpus(s.nodeCpus()), percents(s.throttledShares()), s.redisCpus(), s.kafkaCpus(),
                        s.postgresCpus(), s.gatlingCpus(), s.machineCpus()))
                .orElse(String.format("| %d | no step passed | | | | | | | | | |", r.nodes()));
    }

    private String comparison(FleetResult s) {
        FleetResult ours = chat.stream().filter(r -> r.nodes() == s.nodes()).findFirst().orElse(null);
        StringBuilder md = new StringBuilder(String.format("""
                ### Against Socket.IO

                The same RoomChat simulation, in the same run, against %d Socket.IO 4 nodes (`load-tests/baseline/`: \
                `@socket.io/redis-adapter`, `seq` by Redis `INCR`, kafkajs producing to `chat.messages` with acks=-1 \
                and the ack sent after Kafka) under the same caps:

                | server | N | capacity (msg/s) | msg/s per CPU | deliveries/s | e2e p50 / p95 / p99 / max (ms) | CPU of each node | throttled | Redis | Kafka | Gatling |
                |---|---|---|---|---|---|---|---|---|---|---|
                """, s.nodes()));
        for (FleetResult r : ours == null ? List.of(s) : List.of(ours, s)) {
            md.append(r.atCapacity().map(step -> String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f / %.0f / %.0f / %.0f "
                            + "| %s | %s | %.2f | %.2f | %.2f |%n", r.kind(), r.nodes(), r.capacity(), r.capacityPerCpu(),
                    step.summary().deliveredPerSecond(), step.summary().endToEnd().p50(), step.summary().endToEnd().p95(),
                    step.summary().endToEnd().p99(), step.summary().endToEnd().max(), cpus(step.nodeCpus()),
                    percents(step.throttledShares()), step.redisCpus(), step.kafkaCpus(), step.gatlingCpus()))
                    .orElse(String.format("| %s | %d | no step passed | | | | | | | | |%n", r.kind(), r.nodes())));
        }
        ratio().ifPresent(ratio -> md.append(String.format("%nCapacity per CPU, chat nodes ÷ Socket.IO: **%.2f×** "
                + "(goal: at least 2×).%n%n", ratio)));
        return md.toString();
    }

    private String memory(ConnectionsSummary c) {
        StringBuilder md = new StringBuilder(String.format("""
                ### Memory per connection

                ConnectionsSimulation: %d idle sockets (connected, authenticated, answering pings, in no room) \
                ramped at 250/s onto one chat node, %d completed the handshake, %d failed. Memory read before the \
                ramp and with all sockets open; "live heap" is after a full GC (`jcmd GC.run`).

                | node | sockets | RSS per socket | live heap per socket |
                |---|---|---|---|
                """, c.target(), c.connected(), c.failed()));
        for (ConnectionsSummary.NodeMemory node : c.nodes()) {
            md.append(String.format("| %s | %d | %.1f KiB | %.1f KiB |%n", node.url(), node.sockets(),
                    node.rssPerSocketKb(), node.liveHeapPerSocketKb()));
        }
        return md.append('\n').toString();
    }

    private String bottlenecks() {
        StringBuilder md = new StringBuilder("### What gave out\n\nIn the first step above each capacity:\n\n");
        List<FleetResult> all = new ArrayList<>(chat);
        socketIo.ifPresent(all::add);
        for (FleetResult r : all) {
            Optional<StepResult> above = r.firstAbove();
            if (above.isEmpty()) {
                md.append(String.format("- %s × %d: no failing step above capacity was measured.%n", r.kind(), r.nodes()));
                continue;
            }
            StepResult s = above.get();
            double nodeCpu = s.nodeCpus().stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double throttled = s.throttledShares().stream().mapToDouble(Double::doubleValue).average().orElse(0);
            List<String> verdicts = new ArrayList<>();
            verdicts.add(String.format("nodes used %.2f of their %.2f CPU on average, throttled in %.0f %% of periods%s",
                    nodeCpu, r.cpuPerNode(), 100 * throttled,
                    nodeCpu >= 0.9 * r.cpuPerNode() ? " (at their cap: the nodes were the bottleneck)" : ""));
            verdicts.add(String.format("Redis %.2f CPU%s", s.redisCpus(),
                    s.redisCpus() < BUSY ? " (single-threaded, far from one core)" : " (near one core: a bottleneck)"));
            verdicts.add(String.format("Kafka %.2f", s.kafkaCpus()));
            verdicts.add(String.format("PostgreSQL %.2f (not on the message path; the archiver does not run)",
                    s.postgresCpus()));
            verdicts.add(String.format("Gatling %.2f", s.gatlingCpus()));
            verdicts.add(String.format("the machine %.2f of 2 CPUs busy%s", s.machineCpus(),
                    s.machineCpus() > 1.8 ? " (saturated: the uncapped processes competed for CPU)" : ""));
            md.append(String.format("- %s × %d at %.0f msg/s offered (e2e p99 %.0f ms, %d lost): %s.%n",
                    r.kind(), r.nodes(), s.offeredRate(), s.summary().endToEnd().p99(), s.summary().lost(),
                    String.join("; ", verdicts)));
        }
        return md.append('\n').toString();
    }

    private String targets() {
        StringBuilder md = new StringBuilder("### Targets\n\n");
        for (FleetResult r : chat) {
            if (r.nodes() == 2) {
                md.append(verdict("E(2)", efficiency(r), 0.9));
            } else if (r.nodes() == 4) {
                md.append(verdict("E(4)", efficiency(r), 0.8));
            }
        }
        ratio().ifPresent(ratio -> md.append(verdict("capacity per CPU against Socket.IO", ratio, 2.0)));
        return md.append('\n').toString();
    }

    private static String verdict(String name, double value, double target) {
        return String.format("- %s = %.2f, target ≥ %.1f: **%s**%n", name, value, target, value >= target ? "met" : "missed");
    }

    private String steps() {
        StringBuilder md = new StringBuilder("<details><summary>Every step</summary>\n\n"
                + "| server | N | offered msg/s | result | acked/s | deliveries/s | e2e p99 (ms) | lost | failed acks | CPU of each node | Gatling | machine |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<FleetResult> all = new ArrayList<>(chat);
        socketIo.ifPresent(all::add);
        for (FleetResult r : all) {
            for (StepResult s : r.steps()) {
                md.append(String.format("| %s | %d | %.0f | %s | %.0f | %.0f | %.0f | %d | %d | %s | %.2f | %.2f |%n",
                        r.kind(), r.nodes(), s.offeredRate(), s.passed() ? "pass" : "fail",
                        s.summary().ackedPerSecond(), s.summary().deliveredPerSecond(), s.summary().endToEnd().p99(),
                        s.summary().lost(), s.summary().ackFailures() + s.summary().joinFailures(), cpus(s.nodeCpus()),
                        s.gatlingCpus(), s.machineCpus()));
            }
        }
        return md.append("\n</details>\n").toString();
    }

    private double efficiency(FleetResult r) {
        double c1 = chat.stream().filter(x -> x.nodes() == 1).mapToDouble(FleetResult::capacity).findFirst().orElse(0);
        return c1 == 0 ? 0 : r.capacity() / (r.nodes() * c1);
    }

    private Optional<Double> ratio() {
        return socketIo.flatMap(s -> chat.stream().filter(r -> r.nodes() == s.nodes()).findFirst()
                .filter(r -> s.capacityPerCpu() > 0)
                .map(r -> r.capacityPerCpu() / s.capacityPerCpu()));
    }

    static String cpus(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", "));
    }

    private static String percents(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f %%", 100 * v)).collect(Collectors.joining(", "));
    }

    /** Replaces the section between the markers, or appends it; the rest of the file is left as it is. */
    private static void updateSection(Path benchmarks, String markdown, String begin, String end) throws IOException {
        String section = begin + "\n" + markdown + end + "\n";
        String existing = Files.exists(benchmarks) ? Files.readString(benchmarks) : "# Benchmarks\n\n";
        int from = existing.indexOf(begin);
        int to = existing.indexOf(end);
        String updated = from >= 0 && to > from
                ? existing.substring(0, from) + section + existing.substring(to + end.length()).replaceFirst("^\n", "")
                : existing + (existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n") + section;
        Files.writeString(benchmarks, updated);
    }
}
