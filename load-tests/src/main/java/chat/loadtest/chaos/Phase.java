package chat.loadtest.chaos;

/**
 * A stretch of the chaos run: the steady start, or one fault from the moment it struck until the next one did.
 *
 * @param name     the fault, e.g. "Kafka SIGKILL"
 * @param action   what was done, in a few words
 * @param start    when the fault struck (the run's start for the first phase), epoch ms
 * @param restored when what it struck was back (started and ready), epoch ms; {@code start} where nothing was struck
 * @param end      when the next phase began, or the run ended, epoch ms
 */
public record Phase(String name, String action, long start, long restored, long end) {

    public boolean contains(long at) {
        return at >= start && at < end;
    }
}
