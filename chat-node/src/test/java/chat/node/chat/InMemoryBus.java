package chat.node.chat;

import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.node.fanout.BusFrame;
import chat.node.fanout.BusListener;
import chat.node.fanout.ChangeOutcome;
import chat.node.fanout.RoomBus;
import chat.node.fanout.Sequenced;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A {@link RoomBus} in memory for unit tests of the chat logic: it assigns seqs and keeps the recent buffer as the
 * Redis script does, counts subscriptions, and records what was published instead of delivering it.
 */
final class InMemoryBus implements RoomBus {
    private final JsonCodec codec = new JsonCodec();
    private final Map<String, List<Recent>> recent = new HashMap<>();
    private final Map<String, Long> seqs = new HashMap<>();
    /** This one node's sockets per user per room. */
    private final Map<String, NavigableMap<String, Integer>> present = new HashMap<>();
    private final Map<String, Map<String, Long>> readMarkers = new HashMap<>();
    /** Per room, message seq to the message as it now stands, as publish-change.lua keeps them. */
    private final Map<String, Map<Long, String>> versions = new HashMap<>();
    private final Map<String, String> changeCids = new HashMap<>();
    final Set<String> subscribed = new HashSet<>();
    final List<BusFrame> published = new ArrayList<>();
    final List<String> publishedChannels = new ArrayList<>();

    @Override
    public void start(BusListener listener) {
    }

    @Override
    public synchronized Sequenced publishMessage(String kind, ChatMessage draft, List<String> channels,
                                                 String traceparent) {
        long seq = seqs.merge(draft.room(), 1L, Long::sum);
        ChatMessage message = draft.withSeq(seq);
        String json = codec.write(codec.messageNode(message));
        recent.computeIfAbsent(draft.room(), r -> new ArrayList<>()).add(new Recent(seq, json));
        for (String channel : channels) {
            publishedChannels.add(channel);
            published.add(new BusFrame(kind, seq, message.ts(), traceparent, null, json));
        }
        return new Sequenced(message, json, false);
    }

    @Override
    public synchronized ChangeOutcome publishChange(String kind, MessageChange draft, String cid,
                                                    List<String> channels, String traceparent) {
        String room = draft.message().room();
        String dedupe = cid == null ? null : room + "/" + draft.by() + "/" + cid;
        if (dedupe != null && changeCids.containsKey(dedupe)) {
            return new ChangeOutcome.Repeated(changeCids.get(dedupe));
        }
        Map<Long, String> roomVersions = versions.computeIfAbsent(room, r -> new HashMap<>());
        String current = roomVersions.get(draft.message().seq());
        if (current != null && current.contains("\"deleted\":{")) {
            return new ChangeOutcome.AlreadyDeleted(current);
        }
        long seq = seqs.merge(room, 1L, Long::sum);
        String json = codec.write(codec.changedNode(draft.withSeq(seq)));
        roomVersions.put(draft.message().seq(), json);
        recent.computeIfAbsent(room, r -> new ArrayList<>())
                .add(new Recent(seq, json, kind, draft.message().seq()));
        if (dedupe != null) {
            changeCids.put(dedupe, json);
        }
        for (String channel : channels) {
            publishedChannels.add(channel);
            published.add(new BusFrame(kind, seq, draft.ts(), traceparent, null, json));
        }
        return new ChangeOutcome.Published(seq, json);
    }

    @Override
    public synchronized Map<Long, String> versions(String room, Collection<Long> messageSeqs) {
        Map<Long, String> found = new HashMap<>();
        Map<Long, String> roomVersions = versions.getOrDefault(room, Map.of());
        for (Long seq : messageSeqs) {
            if (roomVersions.containsKey(seq)) {
                found.put(seq, roomVersions.get(seq));
            }
        }
        return found;
    }

    @Override
    public synchronized Recent findRecent(String room, String id) {
        return recent.getOrDefault(room, List.of()).stream()
                .filter(r -> !r.isChange() && r.json().contains("\"id\":\"" + id + "\""))
                .findFirst().orElse(null);
    }

    @Override
    public synchronized void publish(String channel, BusFrame frame) {
        publishedChannels.add(channel);
        published.add(frame);
    }

    @Override
    public synchronized boolean presence(String room, String user, int sockets, BusFrame frame) {
        NavigableMap<String, Integer> users = present.computeIfAbsent(room, r -> new TreeMap<>());
        boolean changed = sockets > 0 ? users.put(user, sockets) == null : users.remove(user) != null;
        if (changed && frame != null) {
            publish(chat.node.fanout.Channels.room(room), frame);
        }
        return changed && frame != null;
    }

    @Override
    public synchronized OnlinePage online(String room, String after, int limit) {
        NavigableMap<String, Integer> users = present.getOrDefault(room, new TreeMap<>());
        List<Online> page = (after == null ? users : users.tailMap(after, false)).entrySet().stream()
                .limit(limit + 1L)
                .map(e -> new Online(e.getKey(), e.getValue()))
                .toList();
        return new OnlinePage(page.stream().limit(limit).toList(), page.size() > limit, users.size());
    }

    @Override
    public synchronized Map<String, Long> onlineCounts(Collection<String> rooms) {
        Map<String, Long> counts = new HashMap<>();
        rooms.forEach(room -> counts.put(room, (long) present.getOrDefault(room, new TreeMap<>()).size()));
        return counts;
    }

    @Override
    public boolean heartbeat(Duration ttl) {
        return false;
    }

    @Override
    public List<String> deadNodes() {
        return List.of();
    }

    @Override
    public int sweep(String deadNode, BiFunction<String, String, BusFrame> leave) {
        return 0;
    }

    @Override
    public synchronized void retire(BiFunction<String, String, BusFrame> leave) {
        present.clear();
    }

    @Override
    public synchronized CompletableFuture<Void> subscribe(String channel) {
        subscribed.add(channel);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void unsubscribe(String channel) {
        subscribed.remove(channel);
    }

    @Override
    public synchronized void raiseSeq(String room, long atLeast) {
        seqs.computeIfPresent(room, (r, current) -> Math.max(current, atLeast));
    }

    @Override
    public synchronized long latestSeq(String room) {
        return seqs.getOrDefault(room, 0L);
    }

    @Override
    public long sequenceBase(String room) {
        return 0;
    }

    @Override
    public synchronized List<Recent> recentAfter(String room, long after, int limit) {
        return recent.getOrDefault(room, List.of()).stream().filter(r -> r.seq() > after).limit(limit).toList();
    }

    @Override
    public synchronized List<Recent> recentBefore(String room, Long before, int limit) {
        List<Recent> older = new ArrayList<>(recent.getOrDefault(room, List.of()).stream()
                .filter(r -> !r.isChange() && (before == null || r.seq() < before)).toList());
        java.util.Collections.reverse(older);
        return older.stream().limit(limit).toList();
    }

    @Override
    public synchronized Marker raiseReadMarker(String user, String room, long seq, List<String> channels,
                                               String frameBefore, String frameAfter) {
        Map<String, Long> markers = readMarkers.computeIfAbsent(user, u -> new HashMap<>());
        long current = markers.getOrDefault(room, 0L);
        if (seq <= current) {
            return new Marker(current, false);
        }
        markers.put(room, seq);
        for (String channel : channels) {
            publishedChannels.add(channel);
            published.add(BusFrame.decode(frameBefore + seq + frameAfter));
        }
        return new Marker(seq, true);
    }

    @Override
    public synchronized UserMarkers readMarkers(String user, List<String> rooms) {
        Map<String, Long> markers = readMarkers.getOrDefault(user, Map.of());
        Map<String, Long> seqs = new HashMap<>();
        rooms.forEach(room -> seqs.put(room, markers.getOrDefault(room, 0L)));
        return new UserMarkers(seqs, true);
    }

    @Override
    public synchronized void loadReadMarkers(String user, Map<String, Long> markers) {
        markers.forEach((room, seq) -> readMarkers.computeIfAbsent(user, u -> new HashMap<>())
                .merge(room, seq, Math::max));
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
    }
}
