package chat.stack;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of a child JVM: runs another main class, and exits when the JVM that started it is gone. A shutdown
 * hook does not run when a test JVM is killed (SIGKILL, a surefire timeout); this makes sure that no Kafka broker
 * outlives it all the same. Its exit runs the child's own shutdown hooks, so the broker still shuts down cleanly.
 *
 * <p>Arguments: the parent's pid, the main class, then that class's arguments.
 */
public final class OrphanGuard {

    /** Exit status when the parent was gone; distinct from Kafka's own 1. */
    private static final int PARENT_GONE = 3;

    private OrphanGuard() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: OrphanGuard <parent pid> <main class> [args...]");
            System.exit(2);
        }
        watch(ProcessHandle.of(Long.parseLong(args[0])));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(Optional<ProcessHandle> parent) {
        if (parent.isEmpty()) {
            System.err.println("OrphanGuard: parent is already gone");
            System.exit(PARENT_GONE);
        }
        Thread watcher = new Thread(() -> {
            parent.get().onExit().join();
            System.err.println("OrphanGuard: parent pid " + parent.get().pid() + " is gone; exiting");
            System.exit(PARENT_GONE);
        }, "orphan-guard");
        watcher.setDaemon(true);
        watcher.start();
    }
}
