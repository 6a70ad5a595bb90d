package chat.archiver.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch says about users that the archive may not know yet: for each such user id, when they were first
 * and last seen in the batch and the display name they last used.
 */
final class UserSightings {

    private final Map<String, Tally> byUser = new HashMap<>();

    /** One user's appearance in a batch, or what the archive holds about them. */
    record Sighting(String user, String name, long firstMillis, long lastMillis) {
        Sighting and(Sighting other) {
            Tally tally = new Tally(this);
            tally.saw(other.name, other.firstMillis);
            tally.saw(other.name, other.lastMillis);
            return tally.sighting(user);
        }
    }

    /** A sighting being added up, without an object per message. */
    private static final class Tally {
        private String name;
        private long first;
        private long last;

        Tally(String name, long millis) {
            this.name = name;
            this.first = millis;
            this.last = millis;
        }

        Tally(Sighting sighting) {
            this.name = sighting.name();
            this.first = sighting.firstMillis();
            this.last = sighting.lastMillis();
        }

        /** The latest name wins, and a missing name never replaces one. */
        void saw(String seenName, long millis) {
            if (seenName != null && (millis >= last || name == null)) {
                name = seenName;
            }
            first = Math.min(first, millis);
            last = Math.max(last, millis);
        }

        Sighting sighting(String user) {
            return new Sighting(user, name, first, last);
        }
    }

    void saw(String user, String name, long millis) {
        Tally tally = byUser.get(user);
        if (tally == null) {
            byUser.put(user, new Tally(name, millis));
        } else {
            tally.saw(name, millis);
        }
    }

    List<Sighting> all() {
        List<Sighting> all = new ArrayList<>(byUser.size());
        byUser.forEach((user, tally) -> all.add(tally.sighting(user)));
        return all;
    }
}
