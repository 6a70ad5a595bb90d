package chat.stack;

/**
 * The ports a {@link LocalStack} listens on; 0 means any free port.
 *
 * @param redis           Redis
 * @param postgres        PostgreSQL
 * @param kafka           Kafka's client listener
 * @param kafkaController Kafka's KRaft controller listener
 */
public record StackPorts(int redis, int postgres, int kafka, int kafkaController) {

    public static StackPorts anyFree() {
        return new StackPorts(0, 0, 0, 0);
    }
}
