package chat.loadtest.chaos;

import java.time.Duration;

/**
 * The chaos run's load and pace, from system properties ({@code -Dusers=30} and so on).
 *
 * @param users       chat users, each a member of one room
 * @param roomSize    members per room
 * @param ratePerUser messages per second each user sends
 * @param steady      how long the load runs before the first fault
 * @param down        how long a struck server stays down before its restart
 * @param settle      how long the cluster runs after a restart before the next fault
 * @param offline     users who drop their connection when a fault strikes and come back once it is restored
 */
public record ChaosPlan(int users, int roomSize, double ratePerUser, Duration steady, Duration down,
                        Duration settle, int offline) {

    static ChaosPlan fromSystemProperties() {
        return new ChaosPlan(
                Integer.getInteger("users", 30),
                Integer.getInteger("roomSize", 6),
                Double.parseDouble(System.getProperty("ratePerUser", "2")),
                Duration.ofSeconds(Integer.getInteger("steadySeconds", 40)),
                Duration.ofSeconds(Integer.getInteger("downSeconds", 10)),
                Duration.ofSeconds(Integer.getInteger("settleSeconds", 30)),
                Integer.getInteger("offlineUsers", 3));
    }

    /** The options as the command line that repeats them. */
    String options() {
        return String.format("-Dusers=%d -DroomSize=%d -DratePerUser=%s -DsteadySeconds=%d -DdownSeconds=%d "
                        + "-DsettleSeconds=%d -DofflineUsers=%d", users, roomSize, ratePerUser, steady.toSeconds(),
                down.toSeconds(), settle.toSeconds(), offline);
    }
}
