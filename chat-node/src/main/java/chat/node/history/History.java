package chat.node.history;

import chat.node.chat.ChatException;
import chat.node.chat.ErrorCode;
import chat.node.fanout.RoomBus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A room's past, merged from the Redis recent buffer (messages not archived yet, while Kafka lags) and the
 * PostgreSQL archive, without duplicates and in ascending {@code seq}.
 */
public final class History {
    private static final System.Logger LOG = System.getLogger(History.class.getName());

    private final RoomBus bus;
    private final ArchivedMessages archive;

    /**
     * @param bus     the recent buffer
     * @param archive the archive, or null when this node has no database configured
     */
    public History(RoomBus bus, ArchivedMessages archive) {
        this.bus = bus;
        this.archive = archive;
    }

    /**
     * Messages with {@code after < seq <= upTo}, ascending, at most {@code cap}; {@code more} when cut at the cap.
     */
    public Page after(String room, long after, long upTo, int cap) {
        TreeMap<Long, String> merged = new TreeMap<>();
        for (RoomBus.Recent recent : bus.recentAfter(room, after, cap + 1)) {
            if (recent.seq() <= upTo) {
                merged.put(recent.seq(), recent.json());
            }
        }
        boolean olderEpochPossible = after < bus.sequenceBase(room);
        boolean bufferReachesBack = merged.isEmpty() ? upTo <= after : merged.firstKey() == after + 1;
        boolean complete = !olderEpochPossible && bufferReachesBack;
        // Without an archive, messages from before this Redis's counter began exist nowhere: the buffer is all.
        boolean archiveNeeded = !complete && (archive != null || !olderEpochPossible);
        if (archiveNeeded) {
            for (ArchivedMessages.Entry entry : archive().after(room, after, cap + 1)) {
                if (entry.seq() <= upTo) {
                    merged.putIfAbsent(entry.seq(), entry.json());
                }
            }
        }
        List<String> messages = new ArrayList<>(Math.min(cap, merged.size()));
        for (String json : merged.values()) {
            if (messages.size() == cap) {
                break;
            }
            messages.add(json);
        }
        return new Page(messages, merged.size() > cap);
    }

    /**
     * How many messages have {@code after < seq <= upTo}. Exact and free of the archive while {@code after} is at or
     * above where the room's counter started in this Redis, since seqs from there on are contiguous. Below it (Redis
     * lost the room's counter since, or {@code after} is 0) the messages from before that start are counted in the
     * archive, at most {@code cap} of them; where the archive cannot be read they are left out, which is logged.
     */
    public long countAfter(String room, long after, long upTo, int cap) {
        if (after >= upTo) {
            return 0;
        }
        long base = bus.sequenceBase(room);
        if (after >= base) {
            return upTo - after;
        }
        long sinceBase = Math.max(0, upTo - base);
        if (archive == null) {
            return sinceBase;
        }
        try {
            return sinceBase + archive.count(room, after, base, cap);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "counting the archived messages of " + room + " failed, left out: "
                    + e.getMessage());
            return sinceBase;
        }
    }

    /** The newest {@code limit} messages with {@code seq < before} (all when null), ascending. */
    public List<String> before(String room, Long before, int limit) {
        TreeMap<Long, String> merged = new TreeMap<>();
        for (RoomBus.Recent recent : bus.recentBefore(room, before, limit)) {
            merged.put(recent.seq(), recent.json());
        }
        // Without an archive the buffer is all there is: a short page then means the start of what is kept.
        if (merged.size() < limit && archive != null) {
            for (ArchivedMessages.Entry entry : archive().before(room, before, limit)) {
                merged.putIfAbsent(entry.seq(), entry.json());
            }
        }
        List<String> newestFirst = new ArrayList<>(merged.descendingMap().values());
        List<String> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        java.util.Collections.reverse(page);
        return page;
    }

    private ArchivedMessages archive() {
        if (archive == null) {
            throw new ChatException(ErrorCode.UNAVAILABLE, "history needs the archive, which is not configured");
        }
        return new GuardedArchive(archive);
    }

    /** Turns database failures into an {@code unavailable} answer, logged once here. */
    private record GuardedArchive(ArchivedMessages delegate) implements ArchivedMessages {
        @Override
        public List<Entry> after(String room, long after, int limit) {
            try {
                return delegate.after(room, after, limit);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        @Override
        public List<Entry> before(String room, Long before, int limit) {
            try {
                return delegate.before(room, before, limit);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        @Override
        public long count(String room, long after, long upTo, int limit) {
            try {
                return delegate.count(room, after, upTo, limit);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        private static ChatException unavailable(RuntimeException e) {
            if (e instanceof ChatException chat) {
                return chat;
            }
            LOG.log(System.Logger.Level.WARNING, "archive query failed: " + e.getMessage());
            return new ChatException(ErrorCode.UNAVAILABLE, "history is briefly unavailable, retry", e);
        }
    }

    /**
     * A slice of a room's messages.
     *
     * @param messages client-form JSON, ascending
     * @param more     whether the slice was cut at its cap
     */
    public record Page(List<String> messages, boolean more) {
    }
}
