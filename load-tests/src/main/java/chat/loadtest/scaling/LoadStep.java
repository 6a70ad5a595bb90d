package chat.loadtest.scaling;

/**
 * One RoomChat load, as a scaling step runs it.
 *
 * @param generator   which load generator sends it
 * @param users       users in all
 * @param placement   sharded (a room's members on one node) or spread (dealt over all nodes)
 * @param rate        messages per second offered by all users together
 * @param leadSeconds how long users send before the measured window (for the JIT of nodes and generator)
 * @param sendSeconds the measured window
 */
record LoadStep(Generator generator, int users, String placement, double rate, int leadSeconds, int sendSeconds) {

    /** The two load generators: Gatling's simulation and the RoomChat load on raw frames. */
    enum Generator {
        GATLING("Gatling (RoomChatSimulation)"),
        WIRE("raw frames (WireLoad)");

        private final String label;

        Generator(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    LoadStep at(double newRate) {
        return new LoadStep(generator, users, placement, newRate, leadSeconds, sendSeconds);
    }
}
