package chat.loadtest.scaling;

/**
 * One RoomChat load, as a measured step runs it.
 *
 * @param generator   which load generator sends it
 * @param users       users in all
 * @param roomSize    members per room
 * @param placement   sharded (a room's members on one node) or spread (dealt over all nodes)
 * @param rate        messages per second offered by all users together
 * @param leadSeconds how long users send before the measured window (for the JIT of nodes and generator)
 * @param sendSeconds the measured window
 */
public record LoadStep(Generator generator, int users, int roomSize, String placement, double rate, int leadSeconds,
                       int sendSeconds) {

    /** The two load generators: Gatling's simulation and the RoomChat load on raw frames. */
    public enum Generator {
        GATLING("Gatling (RoomChatSimulation)"),
        WIRE("raw frames (WireLoad)");

        private final String label;

        Generator(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The same load at another rate. */
    public LoadStep at(double newRate) {
        return new LoadStep(generator, users, roomSize, placement, newRate, leadSeconds, sendSeconds);
    }

    /** The same load, users sending only for {@code seconds} with no lead-in: a warm-up or a settling step. */
    public LoadStep unmeasured(double newRate, int seconds) {
        return new LoadStep(generator, users, roomSize, placement, newRate, 0, seconds);
    }
}
