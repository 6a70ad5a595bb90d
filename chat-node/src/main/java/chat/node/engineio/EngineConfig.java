package chat.node.engineio;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the Engine.IO layer, read from the {@code chat.engine} section (defaults in application.yaml).
 *
 * @param pingInterval   time between server pings
 * @param pingTimeout    time a client has to answer a ping
 * @param maxPayload     largest packet, and largest polling POST, in bytes
 * @param upgradeTimeout time a probing WebSocket has to complete the upgrade
 * @param outboxPackets  packets queued for a slow client before it is cut off
 * @param cors           cross-origin rules of the polling transport
 */
public record EngineConfig(Duration pingInterval, Duration pingTimeout, int maxPayload, Duration upgradeTimeout,
                           int outboxPackets, Cors cors) {

    /** Reads {@code chat.engine}; {@code outboxPackets} comes from the node's limits. */
    public static EngineConfig from(Config engine, int outboxPackets) {
        return new EngineConfig(
                Duration.ofMillis(engine.get("pinginterval").asLong().get()),
                Duration.ofMillis(engine.get("pingtimeout").asLong().get()),
                engine.get("maxpayload").asInt().get(),
                Duration.ofMillis(engine.get("upgradetimeout").asLong().get()),
                outboxPackets,
                Cors.from(engine.get("cors")));
    }

    /**
     * Which browser origins may use the polling transport, as Socket.IO's {@code cors} option.
     *
     * @param origins     allowed origins; empty: no cross-origin access
     * @param anyOrigin   every origin is allowed (and reflected, so credentials still work)
     * @param credentials whether cookies and HTTP authentication may be sent
     */
    public record Cors(Set<String> origins, boolean anyOrigin, boolean credentials) {

        static Cors from(Config cors) {
            Set<String> origins = Arrays.stream(cors.get("origins").asString().orElse("").split(","))
                    .map(String::trim)
                    .filter(origin -> !origin.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            return new Cors(origins, origins.contains("*"), cors.get("credentials").asBoolean().orElse(false));
        }

        public boolean allows(String origin) {
            return origin != null && (anyOrigin || origins.contains(origin));
        }
    }
}
