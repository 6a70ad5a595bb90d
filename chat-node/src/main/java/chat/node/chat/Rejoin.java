package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.node.fanout.RoomBus;
import chat.node.history.History;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A recovered socket's way back into its rooms. It joins them as {@code join} does (the subscription first, then
 * the room's latest seq, live frames held by the room's feed), reads what the socket missed of its rooms and
 * conversations as {@code join} with {@code since} does, and once the CONNECT answer is queued sends those as the
 * events they would have been (a message, or the edit or deletion of one the socket had), before the live frames
 * held meanwhile: nothing twice, nothing out of order.
 */
public final class Rejoin {
    private static final System.Logger LOG = System.getLogger(Rejoin.class.getName());

    private final Hub hub;
    private final RoomBus bus;
    private final History history;
    private final Presence presence;
    private final ConnectionLog log;
    private final JsonCodec codec;
    private final Offsets offsets;
    private final Duration redisTimeout;
    private final RoomAccess access;

    /**
     * @param redisTimeout how long a room's subscription may take
     */
    public Rejoin(Hub hub, RoomBus bus, RoomAccess access, History history, Presence presence, ConnectionLog log,
                  JsonCodec codec, Offsets offsets, Duration redisTimeout) {
        this.hub = hub;
        this.bus = bus;
        this.access = access;
        this.history = history;
        this.presence = presence;
        this.log = log;
        this.codec = codec;
        this.offsets = offsets;
        this.redisTimeout = redisTimeout;
    }

    /**
     * Joins {@code rooms} and reads what came after each resume point of {@code resumeAfter} (rooms and direct
     * conversations).
     *
     * @return the replay to send after the CONNECT answer; null when more than {@code cap} entries (messages and
     *         changes) were missed,
     *         and then the client is in none of the rooms
     * @throws ChatException {@code unavailable} when Redis or the archive fails; the client is in none of the rooms
     */
    Replay prepare(Client client, Set<String> saved, Map<String, Long> savedResume, int cap) {
        Set<String> rooms = mayStillRead(client.user(), saved);
        Map<String, Long> resumeAfter = new HashMap<>();
        savedResume.forEach((room, seq) -> {
            if (!saved.contains(room) || rooms.contains(room)) {
                resumeAfter.put(room, seq);
            }
        });
        Map<String, RoomFeed> feeds = new LinkedHashMap<>();
        Map<String, Hub.Membership> memberships = new HashMap<>();
        try {
            for (String room : rooms) {
                feeds.put(room, client.startJoin(room));
                memberships.put(room, hub.join(client, room));
            }
            for (Hub.Membership membership : memberships.values()) {
                membership.subscribed().get(redisTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            Map<String, Long> latest = new HashMap<>();
            long missed = 0;
            for (Map.Entry<String, Long> entry : resumeAfter.entrySet()) {
                long seq = bus.latestSeq(entry.getKey());
                latest.put(entry.getKey(), seq);
                Hub.Membership membership = memberships.get(entry.getKey());
                if (membership != null && membership.firstOfRoom()) {
                    hub.joinedAt(entry.getKey(), seq);
                }
                missed += Math.max(0, seq - entry.getValue());
            }
            if (missed > cap) {
                leaveAll(client, feeds.keySet());
                return null;
            }
            Map<String, History.Page> pages = new HashMap<>();
            for (Map.Entry<String, Long> entry : resumeAfter.entrySet()) {
                long upTo = latest.get(entry.getKey());
                if (upTo > entry.getValue()) {
                    pages.put(entry.getKey(), history.after(entry.getKey(), entry.getValue(), upTo, cap));
                }
            }
            return new Replay(client, feeds, memberships, latest, pages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leaveAll(client, feeds.keySet());
            throw new ChatException(ErrorCode.UNAVAILABLE, "interrupted while rejoining", e);
        } catch (Exception e) {
            leaveAll(client, feeds.keySet());
            throw e instanceof ChatException chat ? chat
                    : new ChatException(ErrorCode.UNAVAILABLE, "could not rejoin the rooms now", e);
        }
    }

    /** The saved rooms the user may still be in: a private room or group may have removed them meanwhile. */
    private Set<String> mayStillRead(String user, Set<String> saved) {
        Set<String> rooms = new java.util.LinkedHashSet<>();
        for (String room : saved) {
            try {
                access.check(user, room);
                rooms.add(room);
            } catch (ChatException e) {
                if (e.code() != ErrorCode.FORBIDDEN && e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return rooms;
    }

    private void leaveAll(Client client, Set<String> rooms) {
        for (String room : rooms) {
            client.forgetRoom(room);
            hub.leave(client, room);
        }
    }

    /** One entry a socket missed, as the event it is sent as. */
    private record Missed(long seq, ChatEvent event, String json) {
    }

    /** What a recovered socket is sent right after its CONNECT answer. */
    final class Replay {
        private final Client client;
        private final Map<String, RoomFeed> feeds;
        private final Map<String, Hub.Membership> memberships;
        private final Map<String, Long> latest;
        private final Map<String, History.Page> pages;

        private Replay(Client client, Map<String, RoomFeed> feeds, Map<String, Hub.Membership> memberships,
                       Map<String, Long> latest, Map<String, History.Page> pages) {
            this.client = client;
            this.feeds = feeds;
            this.memberships = memberships;
            this.latest = latest;
            this.pages = pages;
        }

        /**
         * Each room's missed messages, then its held live frames (the feed opens at the seq read after subscribing),
         * as a join does; then the conversations' missed direct messages, then their held live ones.
         */
        void send() {
            DeliveryLog sent = client.deliveryLog();
            for (Map.Entry<String, RoomFeed> room : feeds.entrySet()) {
                if (!Names.isDirectRoom(room.getKey())) {
                    replay(sent, ChatEvent.MESSAGE, room.getKey());
                }
                rejoined(room.getKey(), memberships.get(room.getKey()));
                room.getValue().open(latest.get(room.getKey()), null, client.connection());
            }
            Map<String, Long> conversations = new HashMap<>();
            latest.forEach((room, seq) -> {
                if (Names.isDirectRoom(room)) {
                    replay(sent, ChatEvent.DM, room);
                    conversations.put(room, seq);
                }
            });
            sent.releaseDirect(conversations);
        }

        /** A room's missed entries; a failure here must not keep the room's feed from opening after it. */
        private void replay(DeliveryLog sent, ChatEvent event, String room) {
            try {
                History.Page page = pages.get(room);
                if (page == null) {
                    return;
                }
                for (Missed missed : inSeqOrder(page, event)) {
                    sent.sendReplayed(offsets.event(missed.event(), room, missed.seq(), missed.json()));
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "replaying " + room + " to " + client.user() + " failed", e);
            }
        }

        /**
         * The page's messages (each as it now stands, under its own seq) and its changes of earlier messages (under
         * the seq of the change, as {@code message_edited} or {@code message_deleted}), in seq order as they went
         * out live, so that each offset the client keeps is at or above those before it.
         */
        private List<Missed> inSeqOrder(History.Page page, ChatEvent messageEvent) {
            List<Missed> missed = new ArrayList<>(page.messages().size() + page.changed().size());
            for (String json : page.messages()) {
                missed.add(new Missed(codec.decodeMessage(json).seq(), messageEvent, json));
            }
            for (String json : page.changed()) {
                MessageChange change = codec.decodeChanged(json);
                missed.add(new Missed(change.seq(), change.kind() == MessageChange.Kind.EDIT
                        ? ChatEvent.MESSAGE_EDITED : ChatEvent.MESSAGE_DELETED, json));
            }
            missed.sort(Comparator.comparingLong(Missed::seq));
            return missed;
        }

        /** Presence and the connection log see a rejoin as a join. */
        private void rejoined(String room, Hub.Membership membership) {
            if (membership.added()) {
                try {
                    presence.update(room, client.user());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "presence update for " + client.user() + " rejoining "
                            + room + " failed: " + e.getMessage());
                }
                log.record(ConnectionEvent.Type.JOIN, client, room);
            }
        }
    }
}
