package chat.loadtest.scaling;

import chat.loadtest.measure.RoomChatSummary;

import java.util.List;

/**
 * One step of a capacity search: a room-chat run at one offered rate, and the CPU each process used during its send
 * window.
 *
 * @param offeredRate     messages per second offered
 * @param summary         what the simulation measured
 * @param nodeCpus        CPUs each node used
 * @param throttledShares the share of CFS periods in which each node's cap held it back
 * @param redisCpus       CPUs Redis used
 * @param kafkaCpus       CPUs Kafka used
 * @param postgresCpus    CPUs PostgreSQL used
 * @param gatlingCpus     CPUs the load generator used
 * @param machineCpus     CPUs busy on the whole machine, other people's work included
 */
public record StepResult(double offeredRate, RoomChatSummary summary, List<Double> nodeCpus,
                         List<Double> throttledShares, double redisCpus, double kafkaCpus, double postgresCpus,
                         double gatlingCpus, double machineCpus) {

    public boolean passed() {
        return summary.passed();
    }

    public String oneLine() {
        return String.format("%s %s | CPU nodes %s, Redis %.2f, Kafka %.2f, PostgreSQL %.2f, Gatling %.2f, machine %.2f",
                passed() ? "PASS" : "FAIL", summary.oneLine(), ScalingReport.cpus(nodeCpus), redisCpus, kafkaCpus,
                postgresCpus, gatlingCpus, machineCpus);
    }
}
