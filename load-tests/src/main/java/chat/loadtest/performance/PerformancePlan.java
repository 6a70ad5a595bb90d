package chat.loadtest.performance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the performance run does, from system properties with defaults sized for a 2-core machine. The users are
 * many enough that no socket comes near a chat node's per-connection limit of 20 messages per second: at the
 * highest rate the defaults reach, about 3,300 msg/s from 1,000 users, each sends about 3. The first rates are sized
 * for the default cap of 0.4 CPU: a node under it saturates around 1,000 msg/s in rooms of 10, so a ladder from 400
 * has steps below and at saturation.
 *
 * @param beforeJar       a chat node's jar built before the change being measured, its {@code libs/} beside it
 *                        ({@code beforeJar}; empty: no "before" server)
 * @param socketIo        whether the Socket.IO baseline runs too ({@code socketIo})
 * @param shapes          the room sizes, each with its users and first rate ({@code roomSizes}, {@code users},
 *                        {@code startRates}: comma-separated, one value per room size or one for all; default
 *                        1000,1500 msg/s, × the cap under one)
 * @param leadSeconds     how long users send before each step's measured window ({@code leadSeconds})
 * @param sendSeconds     each step's measured window ({@code sendSeconds})
 * @param warmupSeconds   an unmeasured, uncapped step before each ladder, for the JIT, at the first rate scaled
 *                        to the node's whole core (the first rate ÷ the cap); the Node.js baseline, whose V8
 *                        compiles its few hot functions within seconds, gets half ({@code warmupSeconds})
 * @param stackWarmupSeconds how much longer the run's first warm-up is: the fresh Kafka broker compiles its hot
 *                        paths on the support core, where it would take the generator's CPU in the first steps
 *                        ({@code stackWarmupSeconds})
 * @param stepFactor      the rate ratio between steps ({@code stepFactor})
 * @param maxSteps        measured steps per ladder at most, the half-capacity step apart ({@code maxSteps})
 * @param p99Millis       the end-to-end p99 a step must keep ({@code p99Millis})
 * @param maxErrorPercent the failed joins and sends a step may have, in percent ({@code maxErrorPercent})
 * @param minRateShare    the share of the target rate a step must send and have acknowledged ({@code minRateShare})
 * @param nodeCpu         the CPU cap of the node under test during its ladders ({@code nodeCpu}, default 0: none);
 *                        its warm-up and half-capacity step run uncapped. 0, or 1 and more, leaves it uncapped
 *                        throughout. A capped node saturates where the generator cannot make a whole core's
 *                        node, but at a fraction of its rate, where a delivery costs it more, and with a p99 that CFS
 *                        throttling makes noisy
 * @param saturatedShare  the share of the node's ceiling (its cap, or its one core when uncapped) from which a step
 *                        counts as saturating the node ({@code saturatedShare})
 * @param arrivalRate     users connecting per second at the start of each step, to an uncapped node; under a cap,
 *                        that × the cap ({@link NodeCap#arrivalRate}) ({@code arrivalRate})
 */
public record PerformancePlan(String beforeJar, boolean socketIo, List<RoomShape> shapes, int leadSeconds,
                              int sendSeconds, int warmupSeconds, int stackWarmupSeconds, double stepFactor,
                              int maxSteps, double p99Millis, double maxErrorPercent, double minRateShare,
                              double nodeCpu, double saturatedShare, int arrivalRate) {

    /** Every property the run reads; {@code chatNodeJar} is read by the checkout. */
    private static final List<String> PROPERTIES = List.of("beforeJar", "chatNodeJar", "socketIo", "roomSizes",
            "users", "startRates", "leadSeconds", "sendSeconds", "warmupSeconds", "stackWarmupSeconds", "stepFactor",
            "maxSteps", "p99Millis", "maxErrorPercent", "minRateShare", "nodeCpu", "saturatedShare",
            "arrivalRate");

    public static PerformancePlan fromSystemProperties() {
        double nodeCpu = Double.parseDouble(System.getProperty("nodeCpu", "0"));
        // A whole core's first rates, scaled down for a node under a cap.
        double scale = nodeCpu > 0 && nodeCpu < 1 ? nodeCpu : 1;
        String startRates = System.getProperty("startRates",
                Math.round(1000 * scale) + "," + Math.round(1500 * scale));
        return new PerformancePlan(
                System.getProperty("beforeJar", "").trim(),
                Boolean.parseBoolean(System.getProperty("socketIo", "true")),
                shapes(System.getProperty("roomSizes", "10,2"), System.getProperty("users", "1000"),
                        startRates),
                Integer.getInteger("leadSeconds", 5),
                Integer.getInteger("sendSeconds", 10),
                Integer.getInteger("warmupSeconds", 20),
                Integer.getInteger("stackWarmupSeconds", 30),
                Double.parseDouble(System.getProperty("stepFactor", "1.4")),
                Integer.getInteger("maxSteps", 6),
                Double.parseDouble(System.getProperty("p99Millis", "100")),
                Double.parseDouble(System.getProperty("maxErrorPercent", "0.1")),
                Double.parseDouble(System.getProperty("minRateShare", "0.97")),
                nodeCpu,
                Double.parseDouble(System.getProperty("saturatedShare", "0.8")),
                Integer.getInteger("arrivalRate", 500));
    }

    /** The node's cap during its ladders on a machine with CPU caps or without: none without, or when none asked. */
    public NodeCap nodeCap(boolean capsEnabled) {
        return capsEnabled && nodeCpu > 0 && nodeCpu < 1 ? new NodeCap(nodeCpu) : NodeCap.NONE;
    }

    /** The options this run was given, as the command line that repeats it. */
    public static String options() {
        return PROPERTIES.stream().filter(name -> System.getProperty(name) != null)
                .map(name -> "-D" + name + "=" + System.getProperty(name)).collect(Collectors.joining(" "));
    }

    /** The room sizes with their users and first rates, each list one value per room size or one for all. */
    static List<RoomShape> shapes(String roomSizes, String users, String startRates) {
        List<String> sizes = values(roomSizes);
        List<String> userCounts = values(users);
        List<String> rates = values(startRates);
        List<RoomShape> shapes = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            shapes.add(new RoomShape(Integer.parseInt(sizes.get(i)), Integer.parseInt(pick(userCounts, i, "users")),
                    Double.parseDouble(pick(rates, i, "startRates"))));
        }
        return List.copyOf(shapes);
    }

    private static List<String> values(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String pick(List<String> values, int index, String name) {
        if (values.size() == 1) {
            return values.getFirst();
        }
        if (index >= values.size()) {
            throw new IllegalArgumentException(name + " needs one value for all room sizes or one for each");
        }
        return values.get(index);
    }
}
