package chat.loadtest.scaling;

import java.util.Arrays;
import java.util.List;

/**
 * What the scaling run does, from system properties with defaults sized for a 2-core machine.
 *
 * @param costNodeCounts  the cluster sizes of the cost runs ({@code costNodeCounts}, default 1,2,4,8)
 * @param costRate        the fixed total load of the cost runs, messages per second ({@code costRate})
 * @param costUsers       users of the cost runs, in all ({@code costUsers})
 * @param compareGenerators whether the cost run at N = 1 also sends its load from Gatling, to compare the two
 *                        load generators' CPU per delivery ({@code compareGenerators})
 * @param socketIo        whether to run the cost runs against the Socket.IO baseline too, with both Redis adapters
 *                        ({@code socketIo})
 * @param nodeCounts      the cluster sizes of the capacity searches ({@code nodeCounts}, default 1,2,4)
 * @param cpuPerNode      each node's CPU cap in the capacity searches ({@code cpuPerNode}, default 0.25: four nodes
 *                        fit in one core; a JVM under a smaller cap stalls for many periods on each young GC)
 * @param usersPerNode    sockets per node in the capacity searches, so load per node is the same at every size
 *                        ({@code usersPerNode})
 * @param roomSize        members per room ({@code roomSize})
 * @param placement       sharded or spread, in the capacity searches ({@code placement})
 * @param leadSeconds     how long users send before each cost step's measured window, so that nodes and load
 *                        generator have compiled their hot paths ({@code leadSeconds}; half of it in a capacity step)
 * @param sendSeconds     the measured window of each step ({@code sendSeconds})
 * @param warmupSeconds   a first, unmeasured step on fresh nodes, for the JIT ({@code warmupSeconds})
 * @param startRate       messages per second per node of the first capacity step ({@code startRate})
 * @param stepFactor      rate ratio between steps until one fails ({@code stepFactor})
 * @param refinements     bisections between the last passing and the first failing step ({@code refinements})
 * @param maxSteps        steps per cluster at most ({@code maxSteps})
 * @param p99Millis       the end-to-end p99 a step must keep ({@code p99Millis})
 * @param maxErrorPercent the failed operations a step may have ({@code maxErrorPercent})
 * @param archiverRate    the archiver's and PostgreSQL's measured rate, messages per second, a shared ceiling in
 *                        the capacity model ({@code archiverRate}; BENCHMARKS.md "Archiver throughput")
 * @param connections     idle sockets for the memory measurement, 0 to skip ({@code connections})
 */
public record ScalingPlan(List<Integer> costNodeCounts, double costRate, int costUsers, boolean compareGenerators,
                          boolean socketIo, List<Integer> nodeCounts, double cpuPerNode, int usersPerNode,
                          int roomSize, String placement, int leadSeconds, int sendSeconds, int warmupSeconds, double startRate,
                          double stepFactor, int refinements, int maxSteps, double p99Millis,
                          double maxErrorPercent, double archiverRate, int connections) {

    public static ScalingPlan fromSystemProperties() {
        return new ScalingPlan(
                counts("costNodeCounts", "1,2,4,8"),
                Double.parseDouble(System.getProperty("costRate", "1000")),
                Integer.getInteger("costUsers", 400),
                Boolean.parseBoolean(System.getProperty("compareGenerators", "true")),
                Boolean.parseBoolean(System.getProperty("socketIo", "true")),
                counts("nodeCounts", "1,2,4"),
                Double.parseDouble(System.getProperty("cpuPerNode", "0.25")),
                Integer.getInteger("usersPerNode", 100),
                Integer.getInteger("roomSize", 10),
                System.getProperty("placement", "sharded"),
                Integer.getInteger("leadSeconds", 5),
                Integer.getInteger("sendSeconds", 10),
                Integer.getInteger("warmupSeconds", 20),
                Double.parseDouble(System.getProperty("startRate", "450")),
                Double.parseDouble(System.getProperty("stepFactor", "1.3")),
                Integer.getInteger("refinements", 2),
                Integer.getInteger("maxSteps", 7),
                Double.parseDouble(System.getProperty("p99Millis", "100")),
                Double.parseDouble(System.getProperty("maxErrorPercent", "0.1")),
                Double.parseDouble(System.getProperty("archiverRate", "133000")),
                Integer.getInteger("connections", 0));
    }

    private static List<Integer> counts(String name, String fallback) {
        String value = System.getProperty(name, fallback).trim();
        return value.isEmpty() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
