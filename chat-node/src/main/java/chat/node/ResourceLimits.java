package chat.node;

import chat.node.engineio.TrustedProxies;

import io.helidon.config.Config;

/**
 * What one client may take of a node, from the {@code chat.limits} section (defaults in application.yaml). Every
 * limit is per node and kept in the node's memory, so that checking one costs no round trip to Redis; a client
 * spread over N nodes may take N times as much.
 *
 * @param roomsPerSocket        rooms one socket may be in at once (each room can be a Redis subscription)
 * @param socketsPerUser        sockets one user may hold on this node
 * @param connectionsPerAddress Engine.IO sessions one client address may hold on this node; 0: no cap
 * @param trustedProxies        proxies whose {@code X-Forwarded-For} names the client address
 * @param typingPerSecond       sustained {@code typing} events per socket per second
 * @param typingBurst           {@code typing} events a socket may send at once
 * @param apiPerSecond          sustained HTTP API requests per user per second
 * @param apiBurst              HTTP API requests a user may make at once
 * @param apiBody               largest HTTP API request body, in bytes
 * @param groupMembers          members a group may have at most, its creator included
 */
public record ResourceLimits(int roomsPerSocket, int socketsPerUser, int connectionsPerAddress,
                             TrustedProxies trustedProxies, double typingPerSecond, int typingBurst,
                             double apiPerSecond, int apiBurst, int apiBody, int groupMembers) {

    /** Reads {@code chat.limits} of the root configuration. */
    public static ResourceLimits from(Config root) {
        Config limits = root.get("chat.limits");
        return new ResourceLimits(
                limits.get("roomspersocket").asInt().get(),
                limits.get("socketsperuser").asInt().get(),
                limits.get("connectionsperaddress").asInt().get(),
                TrustedProxies.parse(limits.get("trustedproxies").asString().get()),
                limits.get("typingpersecond").asDouble().get(),
                limits.get("typingburst").asInt().get(),
                limits.get("apipersecond").asDouble().get(),
                limits.get("apiburst").asInt().get(),
                limits.get("apibody").asInt().get(),
                limits.get("groupmembers").asInt().get());
    }
}
