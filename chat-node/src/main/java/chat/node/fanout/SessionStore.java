package chat.node.fanout;

import java.time.Duration;

/**
 * Where a dropped socket's session waits for its reconnection, on whichever node that comes: a value per user and
 * private session id, with a time to live, taken at most once.
 */
public interface SessionStore {

    /** Keeps {@code state} under the user and pid for {@code ttl}. */
    void save(String user, String pid, String state, Duration ttl);

    /** Removes and returns what is kept under the user and pid; null when nothing is (expired, taken, never). */
    String take(String user, String pid);
}
