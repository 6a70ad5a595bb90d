package chat.loadtest.scaling;

import chat.loadtest.measure.RoomChatSummary;

import java.util.List;

/**
 * One RoomChat step at one offered rate, and what each process used during its send window.
 *
 * @param offeredRate     messages per second offered
 * @param generator       the load generator that sent it
 * @param summary         what the generator measured
 * @param nodeCpus        CPUs each node used
 * @param throttledShares the share of CFS periods in which each node's cap held it back
 * @param redisFrames     frames each node received from Redis over the whole step (joins included)
 * @param redisCpus       CPUs Redis used
 * @param kafkaCpus       CPUs Kafka used
 * @param postgresCpus    CPUs PostgreSQL used
 * @param generatorCpus   CPUs the load generator's JVM used
 * @param machineCpus     CPUs busy on the whole machine, other people's work included
 */
public record StepResult(double offeredRate, LoadStep.Generator generator, RoomChatSummary summary,
                         List<Double> nodeCpus, List<Double> throttledShares, List<Long> redisFrames,
                         double redisCpus, double kafkaCpus, double postgresCpus, double generatorCpus,
                         double machineCpus) {

    public boolean passed() {
        return summary.passed();
    }

    /** CPUs of all nodes together. */
    public double totalNodeCpus() {
        return nodeCpus.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** CPU-seconds per 1,000 acknowledged messages, from CPUs used at the acknowledged rate. */
    public double perThousandMessages(double cpus) {
        double rate = summary.ackedPerSecond();
        return rate == 0 ? Double.NaN : 1000 * cpus / rate;
    }

    /** The generator's CPU-microseconds per delivery received in the send window. */
    public double generatorMicrosPerDelivery() {
        double rate = summary.deliveredPerSecond();
        return rate == 0 ? Double.NaN : 1e6 * generatorCpus / rate;
    }

    /** The generator's CPU-microseconds per message sent (and acknowledged) in the send window. */
    public double generatorMicrosPerMessage() {
        double rate = summary.ackedPerSecond();
        return rate == 0 ? Double.NaN : 1e6 * generatorCpus / rate;
    }

    /** Frames from Redis per acknowledged message, for each node. */
    public List<Double> redisFramesPerMessage() {
        return redisFrames.stream().map(frames -> summary.acked() == 0 ? Double.NaN
                : (double) frames / summary.acked()).toList();
    }

    public String oneLine() {
        return String.format("%s %s | CPU nodes %s, Redis %.2f, Kafka %.2f, PostgreSQL %.2f, generator %.2f "
                        + "(%.1f µs/delivery), machine %.2f | Redis frames per node %s",
                passed() ? "PASS" : "FAIL", summary.oneLine(), ScalingResults.cpus(nodeCpus), redisCpus, kafkaCpus,
                postgresCpus, generatorCpus, generatorMicrosPerDelivery(), machineCpus, redisFrames);
    }
}
