package chat.loadtest.simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link RoomChatSimulation} run does, from system properties.
 *
 * @param wsBaseUrls      the nodes, e.g. {@code ws://127.0.0.1:8081,ws://127.0.0.1:8082} ({@code wsBaseUrls})
 * @param users           virtual users, each one socket in one room ({@code users})
 * @param roomSize        members per room ({@code roomSize})
 * @param placement       how rooms map to nodes ({@code placement}: sharded or spread)
 * @param ratePerUser     messages per second each user sends ({@code ratePerUser})
 * @param lead            how long users send before the measured window, for the JIT ({@code leadSeconds})
 * @param send            how long the measured window lasts ({@code sendSeconds})
 * @param arrivalRate     users arriving per second, the open-model injection rate ({@code arrivalRate})
 * @param textLength      characters per message ({@code textLength})
 * @param ackTimeout      how long a sender waits for an ack ({@code ackTimeoutSeconds})
 * @param p99Millis       the end-to-end p99 a run must keep ({@code p99Millis})
 * @param maxErrorPercent the share of failed operations a run may have ({@code maxErrorPercent})
 * @param authSecret      the nodes' HS256 secret ({@code authSecret}, or CHAT_AUTH_SECRET)
 * @param runTag          makes room and user names unique to the run ({@code runTag})
 * @param summaryFile     where the run's summary is written as JSON ({@code summaryFile})
 */
public record RoomChatSettings(List<String> wsBaseUrls, int users, int roomSize, Placement placement,
                               double ratePerUser, Duration lead, Duration send, double arrivalRate, int textLength,
                               Duration ackTimeout, double p99Millis, double maxErrorPercent, String authSecret,
                               String runTag, Path summaryFile) {

    public static RoomChatSettings fromSystemProperties() {
        return new RoomChatSettings(
                SystemProperties.list("wsBaseUrls", "ws://127.0.0.1:8081,ws://127.0.0.1:8082"),
                SystemProperties.integer("users", 100),
                SystemProperties.integer("roomSize", 10),
                Placement.parse(SystemProperties.text("placement", "sharded")),
                SystemProperties.decimal("ratePerUser", 1),
                SystemProperties.seconds("leadSeconds", 0),
                SystemProperties.seconds("sendSeconds", 30),
                SystemProperties.decimal("arrivalRate", 50),
                SystemProperties.integer("textLength", 100),
                SystemProperties.seconds("ackTimeoutSeconds", 10),
                SystemProperties.decimal("p99Millis", 100),
                SystemProperties.decimal("maxErrorPercent", 0.1),
                SystemProperties.authSecret(),
                SystemProperties.text("runTag", Long.toString(System.currentTimeMillis() % 1_000_000, 36)),
                SystemProperties.path("summaryFile", "target/room-chat-summary.json"));
    }

    public int rooms() {
        return (users + roomSize - 1) / roomSize;
    }

    /** How long the open-model injection takes to bring every user in. */
    public Duration ramp() {
        return Duration.ofMillis(Math.max(1000, Math.round(users * 1000 / arrivalRate)));
    }

    public String user(int index) {
        return "lt" + runTag + "-u" + index;
    }

    public String room(int index) {
        return "lt" + runTag + "-r" + (index / roomSize);
    }

    public String node(int index) {
        return wsBaseUrls.get(placement.node(index, roomSize, wsBaseUrls.size()));
    }

    /** The message rate all users together offer, per second. */
    public double offeredRate() {
        return users * ratePerUser;
    }
}
