package chat.node.fanout;

import chat.node.fanout.RoomBus.Recent;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a room's recent buffer, the stream the publish scripts append to (entry {@code <seq>-0}: field {@code m},
 * the message, and for a change {@code k}, its event kind, and {@code t}, the seq of the message it changes), and
 * the current versions of its changed messages. Every read is idempotent, so each is retried on a broken
 * connection.
 */
final class RecentBuffer {
    /** Entries read at once when looking for a message by id: edits are mostly of the newest messages. */
    private static final int SCAN_PAGE = 100;

    private final UnifiedJedis redis;
    private final int recentPerRoom;

    RecentBuffer(UnifiedJedis redis, int recentPerRoom) {
        this.redis = redis;
        this.recentPerRoom = recentPerRoom;
    }

    /** Entries (messages and changes) with {@code seq > after}, ascending, at most {@code limit}. */
    List<Recent> after(String room, long after, int limit) {
        List<StreamEntry> entries = RedisRoomBus.retrying(() -> redis.xrange(Channels.recentKey(room),
                new StreamEntryID(after, 1), StreamEntryID.MAXIMUM_ID, limit));
        List<Recent> recent = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            recent.add(recent(entry));
        }
        return recent;
    }

    /**
     * Messages with {@code seq < before} (all when null), newest first, at most {@code limit}: reads on past the
     * changes among the entries until it has {@code limit} messages or the buffer ends.
     */
    List<Recent> before(String room, Long before, int limit) {
        if (before != null && before <= 1) {
            return List.of();
        }
        List<Recent> recent = new ArrayList<>(limit);
        StreamEntryID end = before == null ? StreamEntryID.MAXIMUM_ID : new StreamEntryID(before - 1, 0);
        while (end != null && recent.size() < limit) {
            StreamEntryID from = end;
            int wanted = limit - recent.size();
            List<StreamEntry> entries = RedisRoomBus.retrying(() -> redis.xrevrange(Channels.recentKey(room), from,
                    StreamEntryID.MINIMUM_ID, wanted));
            for (StreamEntry entry : entries) {
                Recent read = recent(entry);
                if (!read.isChange()) {
                    recent.add(read);
                }
            }
            end = entries.size() < wanted ? null : below(entries.getLast().getID());
        }
        return recent;
    }

    /** The message with this id, newest first; its id field matched as the scripts write it (ids need no escaping). */
    Recent findRecent(String room, String id) {
        String idField = "\"id\":\"" + id + "\"";
        StreamEntryID end = StreamEntryID.MAXIMUM_ID;
        for (int read = 0; read < recentPerRoom && end != null; read += SCAN_PAGE) {
            StreamEntryID from = end;
            List<StreamEntry> entries = RedisRoomBus.retrying(() -> redis.xrevrange(Channels.recentKey(room), from,
                    StreamEntryID.MINIMUM_ID, SCAN_PAGE));
            for (StreamEntry entry : entries) {
                Recent recent = recent(entry);
                if (!recent.isChange() && recent.json().contains(idField)) {
                    return recent;
                }
            }
            end = entries.size() < SCAN_PAGE ? null : below(entries.getLast().getID());
        }
        return null;
    }

    /** The current versions of the room's changed messages among {@code messageSeqs}, by message seq. */
    Map<Long, String> versions(String room, Collection<Long> messageSeqs) {
        if (messageSeqs.isEmpty()) {
            return Map.of();
        }
        List<Long> seqs = List.copyOf(messageSeqs);
        String[] fields = seqs.stream().map(String::valueOf).toArray(String[]::new);
        List<String> found = RedisRoomBus.retrying(() -> redis.hmget(Channels.versionsKey(room), fields));
        Map<Long, String> versions = new HashMap<>();
        for (int i = 0; i < seqs.size(); i++) {
            if (found.get(i) != null) {
                versions.put(seqs.get(i), found.get(i));
            }
        }
        return versions;
    }

    private static Recent recent(StreamEntry entry) {
        Map<String, String> fields = entry.getFields();
        long seq = entry.getID().getTime();
        String change = fields.get("k");
        return change == null ? new Recent(seq, fields.get("m"))
                : new Recent(seq, fields.get("m"), change, Long.parseLong(fields.get("t")));
    }

    /** The id just below an entry's (entries are {@code <seq>-0}); null below the first. */
    private static StreamEntryID below(StreamEntryID id) {
        return id.getTime() <= 1 ? null : new StreamEntryID(id.getTime() - 1, 0);
    }
}
