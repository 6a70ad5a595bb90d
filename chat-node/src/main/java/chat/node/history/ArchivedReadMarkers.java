package chat.node.history;

import java.util.Map;

/** Read access to the users' read markers the archiver keeps in PostgreSQL. */
public interface ArchivedReadMarkers {
    /** Every read marker of the user, room to seq; empty when the archive has none. */
    Map<String, Long> of(String user);
}
