package chat.node.chat;

import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MalformedRecordException;
import chat.node.fanout.BusFrame;
import chat.node.fanout.Channels;
import chat.node.fanout.RoomBus;
import chat.node.socketio.SocketIoCodec;
import chat.node.telemetry.NodeMetrics;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Takes the sockets of a user removed from a private room out of it on this node, at once: on the room's
 * {@code membership} frame, which reaches every node with sockets in the room in order with its messages (so none
 * sent after the removal reaches them), and on the user's {@code removed} frame, which reaches their other sockets.
 * After a lost subscription, when such frames may have been missed, every local member is checked again.
 */
public final class Removals {
    private static final System.Logger LOG = System.getLogger(Removals.class.getName());

    private final Hub hub;
    private final RoomBus bus;
    private final RoomAccess access;
    private final Presence presence;
    private final ConnectionLog log;
    private final NodeMetrics metrics;
    private final JsonCodec codec;
    private final RoomNotices notices;

    public Removals(Hub hub, RoomBus bus, RoomAccess access, Presence presence, ConnectionLog log,
                    NodeMetrics metrics, JsonCodec codec) {
        this.hub = hub;
        this.bus = bus;
        this.access = access;
        this.presence = presence;
        this.log = log;
        this.metrics = metrics;
        this.codec = codec;
        this.notices = new RoomNotices(codec);
    }

    /**
     * Acts on a {@code membership} frame of a room's channel or a {@code removed} frame of a user's channel before it
     * is passed on; called on the thread that delivers the channel's frames.
     */
    void apply(String channel, ChatEvent event, BusFrame frame) {
        JsonNode body;
        try {
            body = codec.read(frame.body());
        } catch (MalformedRecordException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a malformed " + event.wire() + " frame: " + e.getMessage());
            return;
        }
        if (event == ChatEvent.MEMBERSHIP && Channels.isRoom(channel)
                && "removed".equals(body.path("event").asText())) {
            evict(Channels.subject(channel), body.path("user").asText());
        } else if (event == ChatEvent.REMOVED && Channels.isUser(channel)) {
            evict(body.path("room").asText(), Channels.subject(channel));
        }
    }

    /**
     * Checks every local member of the private rooms and groups among {@code rooms} again, after their frames may
     * have been missed, and takes out (with a {@code removed} event) those who are members no more.
     */
    void recheck(Set<String> rooms) {
        for (String room : rooms) {
            if (!Names.isMembersOnly(room)) {
                continue;
            }
            for (String user : hub.inRoom(room).stream().map(Client::user).distinct().toList()) {
                try {
                    access.check(user, room);
                } catch (ChatException e) {
                    if (e.code() != ErrorCode.FORBIDDEN && e.code() != ErrorCode.NOT_FOUND) {
                        throw e;
                    }
                    String removed = SocketIoCodec.event(ChatEvent.REMOVED.wireJson(),
                            notices.removedPayload(room, null));
                    evict(room, user).forEach(client -> client.send(removed));
                }
            }
        }
    }

    /** Takes the user's sockets here out of the room, as a {@code leave} would; returns them. */
    private List<Client> evict(String room, String user) {
        List<Client> evicted = new ArrayList<>();
        for (Client client : List.copyOf(hub.inRoom(room))) {
            if (!client.user().equals(user) || !client.inRoom(room)) {
                continue;
            }
            client.forgetRoom(room);
            evicted.add(client);
            metrics.memberEvicted();
            try {
                hub.leave(client, room);
                presence.update(room, user);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "presence update for removed " + user + " in " + room
                        + " failed: " + e.getMessage());
            }
            log.record(ConnectionEvent.Type.LEAVE, client, room);
        }
        return evicted;
    }
}
