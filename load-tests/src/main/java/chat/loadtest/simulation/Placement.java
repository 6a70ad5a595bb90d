package chat.loadtest.simulation;

import java.util.Locale;

/**
 * Which node a load-test user connects to. Users fill rooms in order: users {@code 0..roomSize-1} are room 0, and
 * so on.
 */
public enum Placement {
    /**
     * Every member of a room on the same node, rooms dealt round-robin over the nodes: a deployment whose load
     * balancer routes by room (sharding). A node then receives from Redis only its own rooms' messages.
     */
    SHARDED,
    /**
     * The members of every room dealt round-robin over the nodes, as a load balancer that ignores rooms would: every
     * node has members of every room, so each message reaches every node.
     */
    SPREAD;

    /** The index of the node user {@code user} connects to. */
    public int node(int user, int roomSize, int nodes) {
        return switch (this) {
            case SHARDED -> (user / roomSize) % nodes;
            case SPREAD -> user % nodes;
        };
    }

    public static Placement parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
