package chat.archiver.store;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.dbclient.DbClient;

/**
 * Makes sure the monthly partitions of {@code messages} exist before a batch writes into them. Each month is
 * asked about once per archiver; the database function does the creating.
 */
public final class MessagePartitions {

    private final DbClient client;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public MessagePartitions(DbClient client) {
        this.client = client;
    }

    /** Creates the missing partitions among {@code months} (first days of months, UTC). */
    public void ensure(Collection<LocalDate> months) {
        for (LocalDate month : months) {
            if (!known.contains(month)) {
                client.execute().get("SELECT archive_ensure_month(?) AS ensured", month);
                known.add(month);
            }
        }
    }

    /** Forgets what exists, after PostgreSQL said a partition is missing (an operator may have dropped a month). */
    public void forget() {
        known.clear();
    }
}
