package chat.stack;

/** The servers a {@link LocalStack} can run. */
public enum StackService {
    REDIS,
    POSTGRES,
    KAFKA
}
