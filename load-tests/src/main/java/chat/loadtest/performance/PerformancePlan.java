package chat.loadtest.performance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the performance run does, from system properties with defaults sized for a 2-core machine. The users are
 * many enough that no socket comes near a chat node's per-connection limit of 20 messages per second: at the
 * highest rate the defaults reach, about 8,100 msg/s from 1,000 users, each sends about 8.
 *
 * @param beforeJar       a chat node's jar built before the change being measured, its {@code libs/} beside it
 *                        ({@code beforeJar}; empty: no "before" server)
 * @param socketIo        whether the Socket.IO baseline runs too ({@code socketIo})
 * @param shapes          the room sizes, each with its users and first rate ({@code roomSizes}, {@code users},
 *                        {@code startRates}: comma-separated, one value per room size or one for all)
 * @param leadSeconds     how long users send before each step's measured window ({@code leadSeconds})
 * @param sendSeconds     each step's measured window ({@code sendSeconds})
 * @param warmupSeconds   an unmeasured step at the first rate before each ladder, for the JIT; the Node.js
 *                        baseline, whose V8 compiles its few hot functions within seconds, gets half
 *                        ({@code warmupSeconds})
 * @param stackWarmupSeconds how much longer the run's first warm-up is: the fresh Kafka broker compiles its hot
 *                        paths on the support core, where it would take the generator's CPU in the first steps
 *                        ({@code stackWarmupSeconds})
 * @param stepFactor      the rate ratio between steps ({@code stepFactor})
 * @param maxSteps        measured steps per ladder at most, the half-capacity step apart ({@code maxSteps})
 * @param p99Millis       the end-to-end p99 a step must keep ({@code p99Millis})
 * @param maxErrorPercent the failed joins and sends a step may have, in percent ({@code maxErrorPercent})
 * @param minRateShare    the share of the target rate a step must send and have acknowledged ({@code minRateShare})
 * @param saturatedCpus   the node CPU from which a step counts as saturating the node ({@code saturatedCpus})
 * @param arrivalRate     users connecting per second at the start of each step ({@code arrivalRate})
 */
public record PerformancePlan(String beforeJar, boolean socketIo, List<RoomShape> shapes, int leadSeconds,
                              int sendSeconds, int warmupSeconds, int stackWarmupSeconds, double stepFactor,
                              int maxSteps, double p99Millis, double maxErrorPercent, double minRateShare,
                              double saturatedCpus, int arrivalRate) {

    /** Every property the run reads; {@code chatNodeJar} is read by the checkout. */
    private static final List<String> PROPERTIES = List.of("beforeJar", "chatNodeJar", "socketIo", "roomSizes",
            "users", "startRates", "leadSeconds", "sendSeconds", "warmupSeconds", "stackWarmupSeconds", "stepFactor",
            "maxSteps", "p99Millis", "maxErrorPercent", "minRateShare", "saturatedCpus", "arrivalRate");

    public static PerformancePlan fromSystemProperties() {
        return new PerformancePlan(
                System.getProperty("beforeJar", "").trim(),
                Boolean.parseBoolean(System.getProperty("socketIo", "true")),
                shapes(System.getProperty("roomSizes", "10,2"), System.getProperty("users", "1000"),
                        System.getProperty("startRates", "1000,1500")),
                Integer.getInteger("leadSeconds", 5),
                Integer.getInteger("sendSeconds", 10),
                Integer.getInteger("warmupSeconds", 20),
                Integer.getInteger("stackWarmupSeconds", 30),
                Double.parseDouble(System.getProperty("stepFactor", "1.4")),
                Integer.getInteger("maxSteps", 6),
                Double.parseDouble(System.getProperty("p99Millis", "100")),
                Double.parseDouble(System.getProperty("maxErrorPercent", "0.1")),
                Double.parseDouble(System.getProperty("minRateShare", "0.97")),
                Double.parseDouble(System.getProperty("saturatedCpus", "0.8")),
                Integer.getInteger("arrivalRate", 500));
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
