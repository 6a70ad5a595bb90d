package chat.loadtest.performance;

import chat.loadtest.measure.RoomChatSummary;

/** Every measured step of the performance run as one Markdown table, folded away under a summary line. */
final class StepTable {

    private final PerformanceResults results;

    StepTable(PerformanceResults results) {
        this.results = results;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("### Every step\n\n<details><summary>");
        md.append(results.ladders().stream().mapToInt(l -> l.ladder().size() + (l.half().isPresent() ? 1 : 0))
                .sum());
        md.append(" measured steps</summary>\n\n");
        md.append("CPU in cores over the window; \"sent\" is the share of the target rate the generator sent over "
                + "the lead-in and the window; \"node cap\" is the node's CPU cap in the step and the share of CFS "
                + "periods in which it held the node back; lost / dup / ooo are deliveries lost, duplicated and out of "
                + "order.\n\n");
        md.append("| server | rooms of | step | target msg/s | acked msg/s | sent | deliveries/s | node CPU "
                + "| node cap, throttled | µs / delivery | µs / message | deliveries / node-CPU-s "
                + "| messages / node-CPU-s | e2e p50 / p99 / max (ms) | lost / dup / ooo | Redis | Kafka | generator "
                + "| verdict |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LadderResult ladder : results.ladders()) {
            for (int i = 0; i < ladder.ladder().size(); i++) {
                md.append(row(ladder, Integer.toString(i + 1), ladder.ladder().get(i), results.nodeCap()));
            }
            ladder.half().ifPresent(step -> md.append(row(ladder, "half", step, NodeCap.NONE)));
        }
        md.append("\n</details>\n\n");
        return md.toString();
    }

    /** A step's row; {@code cap} is the node's cap while it ran. */
    private static String row(LadderResult ladder, String name, LadderStep step, NodeCap cap) {
        RoomChatSummary s = step.result().summary();
        String capped = cap.capped() ? String.format("%.2f, %.0f %%", cap.cpus(), 100 * step.nodeThrottledShare())
                : "none";
        return String.format("| %s | %d | %s | %.0f | %.0f | %.0f %% | %.0f | %.2f | %s | %.1f | %.1f | %.0f | %.0f "
                        + "| %.1f / %.1f / %.1f | %d / %d / %d | %.2f | %.2f | %.2f | %s |%n",
                ladder.server(), ladder.shape().roomSize(), name, step.targetRate(), step.achievedRate(),
                100 * step.sentShare(), step.deliveriesPerSecond(), step.nodeCpus(), capped,
                step.nodeMicrosPerDelivery(), step.nodeMicrosPerMessage(), step.deliveriesPerNodeCpuSecond(),
                step.messagesPerNodeCpuSecond(),
                s.endToEnd().p50(), s.endToEnd().p99(), s.endToEnd().max(), s.lost(), s.duplicates(), s.outOfOrder(),
                step.result().redisCpus(), step.result().kafkaCpus(), step.result().generatorCpus(), step.verdict());
    }
}
