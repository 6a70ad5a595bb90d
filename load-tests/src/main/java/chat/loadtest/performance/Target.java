package chat.loadtest.performance;

/**
 * A goal the report states as met, missed or not measured.
 *
 * @param name    what is measured
 * @param value   the measured value, as the report shows it; empty when it was not measured
 * @param goal    the goal, e.g. {@code ≥ 125,000}
 * @param met     whether the value meets the goal (false when not measured)
 */
public record Target(String name, String value, String goal, boolean met) {

    static Target notMeasured(String name, String goal) {
        return new Target(name, "", goal, false);
    }

    public boolean measured() {
        return !value.isEmpty();
    }

    public String verdict() {
        return !measured() ? "not measured" : met ? "met" : "missed";
    }

    public String line() {
        return String.format("- %s: %s, target %s: **%s**%n", name, measured() ? value : "not measured", goal,
                verdict());
    }
}
