package chat.loadtest.scaling;

import java.util.Arrays;
import java.util.List;

/**
 * What the scaling run does, from system properties with defaults sized for a 2-core machine.
 *
 * @param nodeCounts     the cluster sizes measured ({@code nodeCounts}, default 1,2,4)
 * @param cpuPerNode     each node's CPU cap ({@code cpuPerNode}, default 0.25: four nodes fit in one core; a
 *                       JVM under a smaller cap stalls for many periods on each young GC)
 * @param usersPerNode   sockets per node, so load per node is the same at every size ({@code usersPerNode})
 * @param roomSize       members per room ({@code roomSize})
 * @param placement      sharded or spread ({@code placement})
 * @param sendSeconds    the measured window of each step ({@code sendSeconds})
 * @param warmupSeconds  a first, unmeasured step on fresh nodes, for the JIT ({@code warmupSeconds})
 * @param startRate      messages per second per node of the first step ({@code startRate})
 * @param stepFactor     rate ratio between steps until one fails ({@code stepFactor})
 * @param refinements    bisections between the last passing and the first failing step ({@code refinements})
 * @param maxSteps       steps per cluster at most ({@code maxSteps})
 * @param p99Millis      the end-to-end p99 a step must keep ({@code p99Millis})
 * @param maxErrorPercent the failed operations a step may have ({@code maxErrorPercent})
 * @param baseline       whether to measure two Socket.IO baseline nodes too ({@code baseline})
 * @param connections    idle sockets for the memory measurement, 0 to skip ({@code connections})
 */
public record ScalingPlan(List<Integer> nodeCounts, double cpuPerNode, int usersPerNode, int roomSize,
                          String placement, int sendSeconds, int warmupSeconds, double startRate,
                          double stepFactor, int refinements, int maxSteps, double p99Millis,
                          double maxErrorPercent, boolean baseline, int connections) {

    public static ScalingPlan fromSystemProperties() {
        return new ScalingPlan(
                Arrays.stream(System.getProperty("nodeCounts", "1,2,4").split(",")).map(String::trim)
                        .map(Integer::parseInt).toList(),
                Double.parseDouble(System.getProperty("cpuPerNode", "0.25")),
                Integer.getInteger("usersPerNode", 100),
                Integer.getInteger("roomSize", 10),
                System.getProperty("placement", "sharded"),
                Integer.getInteger("sendSeconds", 12),
                Integer.getInteger("warmupSeconds", 20),
                Double.parseDouble(System.getProperty("startRate", "150")),
                Double.parseDouble(System.getProperty("stepFactor", "1.5")),
                Integer.getInteger("refinements", 2),
                Integer.getInteger("maxSteps", 10),
                Double.parseDouble(System.getProperty("p99Millis", "100")),
                Double.parseDouble(System.getProperty("maxErrorPercent", "0.1")),
                Boolean.parseBoolean(System.getProperty("baseline", "true")),
                Integer.getInteger("connections", 2000));
    }
}
