package chat.archiver;

/**
 * Entry point of the archiver service.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("archiver: not yet implemented");
    }
}
