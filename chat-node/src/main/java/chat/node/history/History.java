package chat.node.history;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.node.chat.ChatException;
import chat.node.chat.ErrorCode;
import chat.node.fanout.RoomBus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A room's past, merged from the Redis recent buffer (messages not archived yet, while Kafka lags) and the
 * PostgreSQL archive, without duplicates and in ascending {@code seq}, each message as it now stands: of all it is
 * known as (first sent in the buffer, its latest versions in Redis, its row in the archive), the one with the latest
 * change.
 */
public final class History {
    private static final System.Logger LOG = System.getLogger(History.class.getName());
    /** Where the seq of a version's change mark starts: it is the first field of the version's last object. */
    private static final String MARK_SEQ = "{\"seq\":";

    private final RoomBus bus;
    private final ArchivedMessages archive;
    private final JsonCodec codec;

    /**
     * @param bus     the recent buffer
     * @param archive the archive, or null when this node has no database configured
     */
    public History(RoomBus bus, ArchivedMessages archive, JsonCodec codec) {
        this.bus = bus;
        this.archive = archive;
        this.codec = codec;
    }

    /**
     * Messages with {@code after < seq <= upTo}, ascending; and the messages at or before {@code after} that changed
     * in that range, as they now stand. Each change is an entry of the room, like a message: at most {@code cap}
     * entries are read, {@code more} when cut there.
     */
    public Page after(String room, long after, long upTo, int cap) {
        TreeMap<Long, Entry> merged = new TreeMap<>();
        for (RoomBus.Recent recent : bus.recentAfter(room, after, cap + 1)) {
            if (recent.seq() <= upTo) {
                merged.put(recent.seq(), Entry.of(recent));
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
                    merged.merge(entry.seq(), Entry.of(entry), Entry::later);
                }
            }
        }
        Map<Long, Version> messages = new TreeMap<>();
        Map<Long, Version> changed = new TreeMap<>();
        for (Entry entry : merged.values().stream().limit(cap).toList()) {
            Map<Long, Version> into = entry.messageSeq() > after ? messages : changed;
            into.merge(entry.messageSeq(), entry.version(), Version::later);
        }
        overlayLatest(room, messages);
        overlayLatest(room, changed);
        return new Page(jsonOf(messages), jsonOf(changed), merged.size() > cap);
    }

    /**
     * How many messages have {@code after < seq <= upTo}; changes (edits and deletions, which take seqs of the room
     * too) are not counted. The recent buffer is read from {@code after} for at most {@code cap} entries, and its
     * messages counted; entries past those are counted as messages, so the count is exact while the range holds at
     * most {@code cap} entries. Seqs the buffer no longer holds (it was trimmed, or Redis lost the room's counter
     * since, or {@code after} is 0) are message rows counted in the archive, at most {@code cap} of them; where the
     * archive holds more, or cannot be read (which is logged), the seqs of this Redis' counter among them are counted
     * instead, whatever they are, and the older ones left out.
     */
    public long countAfter(String room, long after, long upTo, int cap) {
        if (after >= upTo) {
            return 0;
        }
        long from = Math.max(after, bus.sequenceBase(room));
        List<RoomBus.Recent> read = from >= upTo ? List.of()
                : bus.recentAfter(room, from, (int) Math.min(upTo - from, cap));
        // Seqs up to unbuffered are not in the buffer; those read run from there up to lastRead.
        long unbuffered = read.isEmpty() ? upTo : Math.min(upTo, read.getFirst().seq() - 1);
        long lastRead = unbuffered;
        long count = 0;
        for (RoomBus.Recent entry : read) {
            if (entry.seq() > upTo) {
                break;
            }
            if (!entry.isChange()) {
                count++;
            }
            lastRead = entry.seq();
        }
        count += upTo - lastRead;
        if (unbuffered <= after) {
            return count;
        }
        long sinceBase = Math.max(0, unbuffered - from);
        if (archive == null) {
            return count + sinceBase;
        }
        try {
            long archived = archive.count(room, after, unbuffered, cap);
            // Cut at the cap, the archive's count would hide this Redis' seqs below the buffer: count those instead.
            return count + (archived < cap ? archived : Math.max(archived, sinceBase));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "counting the archived messages of " + room + " failed, left out: "
                    + e.getMessage());
            return count + sinceBase;
        }
    }

    /** The newest {@code limit} messages with {@code seq < before} (all when null), ascending, as they now stand. */
    public List<String> before(String room, Long before, int limit) {
        TreeMap<Long, Version> merged = new TreeMap<>();
        for (RoomBus.Recent recent : bus.recentBefore(room, before, limit)) {
            merged.put(recent.seq(), new Version(0, recent.json()));
        }
        // Without an archive the buffer is all there is: a short page then means the start of what is kept.
        if (merged.size() < limit && archive != null) {
            for (ArchivedMessages.Entry entry : archive().before(room, before, limit)) {
                merged.merge(entry.seq(), new Version(entry.changeSeq(), entry.json()), Version::later);
            }
        }
        TreeMap<Long, Version> page = new TreeMap<>();
        for (Map.Entry<Long, Version> newest : merged.descendingMap().entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.put(newest.getKey(), newest.getValue());
        }
        overlayLatest(room, page);
        return jsonOf(page);
    }

    /**
     * The room's message with this id as first sent and as it now stands, from the recent buffer or else the
     * archive; null when neither has it.
     */
    public FoundMessage find(String room, String id) {
        FoundMessage found = null;
        RoomBus.Recent recent = bus.findRecent(room, id);
        if (recent != null) {
            found = new FoundMessage(codec.decodeMessage(recent.json()), null);
        } else if (archive != null) {
            found = archive().find(room, id);
        }
        if (found == null) {
            return null;
        }
        String latest = bus.versions(room, List.of(found.asSent().seq())).get(found.asSent().seq());
        if (latest != null && markSeq(latest) > found.changeSeq()) {
            MessageChange change = codec.decodeChanged(latest);
            return new FoundMessage(found.asSent(), new MessageChange(change.kind(), found.asSent(), change.seq(),
                    change.ts(), change.by(), change.text()));
        }
        return found;
    }

    /** Up to {@code limit} messages of the user the archive holds undeleted, as first sent. */
    public List<ChatMessage> undeletedOf(String user, int limit) {
        return archive().undeletedOf(user, limit);
    }

    /** Replaces each message by its latest version in Redis where that is later than what was read. */
    private void overlayLatest(String room, Map<Long, Version> messages) {
        if (messages.isEmpty()) {
            return;
        }
        bus.versions(room, messages.keySet()).forEach((seq, json) ->
                messages.merge(seq, new Version(markSeq(json), json), Version::later));
    }

    private static List<String> jsonOf(Map<Long, Version> versions) {
        List<String> json = new ArrayList<>(versions.size());
        versions.values().forEach(version -> json.add(version.json()));
        return json;
    }

    /** The seq of the change a version of a message carries (its mark is its last object, seq first in it). */
    private static long markSeq(String version) {
        int start = version.lastIndexOf(MARK_SEQ) + MARK_SEQ.length();
        int end = start;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return Long.parseLong(version.substring(start, end));
    }

    private ArchivedMessages archive() {
        if (archive == null) {
            throw new ChatException(ErrorCode.UNAVAILABLE, "history needs the archive, which is not configured");
        }
        return new GuardedArchive(archive);
    }

    /**
     * A message as one source knows it.
     *
     * @param changeSeq the seq of the latest change it reflects, 0 for the message as first sent
     * @param json      client form
     */
    private record Version(long changeSeq, String json) {
        static Version later(Version one, Version other) {
            return other.changeSeq > one.changeSeq ? other : one;
        }
    }

    /** One entry of the room, a message or a change, and the version of the message it brings. */
    private record Entry(long messageSeq, Version version) {
        static Entry of(RoomBus.Recent recent) {
            return new Entry(recent.messageSeq(), new Version(recent.isChange() ? recent.seq() : 0, recent.json()));
        }

        static Entry of(ArchivedMessages.Entry entry) {
            return new Entry(entry.messageSeq(), new Version(entry.changeSeq(), entry.json()));
        }

        static Entry later(Entry one, Entry other) {
            return new Entry(one.messageSeq, Version.later(one.version, other.version));
        }
    }

    /** Turns database failures into an {@code unavailable} answer, logged once here. */
    private record GuardedArchive(ArchivedMessages delegate) implements ArchivedMessages {
        @Override
        public FoundMessage find(String room, String id) {
            try {
                return delegate.find(room, id);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        @Override
        public List<ChatMessage> undeletedOf(String user, int limit) {
            try {
                return delegate.undeletedOf(user, limit);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

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
     * @param changed  messages before the slice that changed within it, as they now stand, ascending by seq
     * @param more     whether the slice was cut at its cap
     */
    public record Page(List<String> messages, List<String> changed, boolean more) {
    }
}
