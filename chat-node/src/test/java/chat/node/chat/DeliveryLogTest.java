package chat.node.chat;

import chat.node.socketio.Connection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class DeliveryLogTest {
    private final Offsets offsets = new Offsets(true);
    private final CountingConnection socket = new CountingConnection();
    private final DeliveryLog log = new DeliveryLog(socket, 4);

    @Test
    void messagesStayLoggedInQueueOrderUntilAnAnsweredPingConfirmsThem() {
        log.send(message("lobby", 1));
        log.send("42[\"typing\",{\"room\":\"lobby\"}]");
        log.send(message("news", 7));
        socket.send("2");
        log.send(message("lobby", 2));

        assertThat(log.snapshot().unconfirmed(), contains("lobby:1", "news:7", "lobby:2"));

        socket.received = 4;
        DeliveryLog.Snapshot snapshot = log.snapshot();
        assertThat(snapshot.unconfirmed(), contains("lobby:2"));
        assertThat(snapshot.confirmed(), is(Map.of("lobby", 1L, "news", 7L)));
        assertThat(snapshot.complete(), is(true));
        assertThat("every packet went out", socket.packets.size(), is(5));
    }

    @Test
    void pastItsCapacityTheOldestCountAsReadAndTheLogSaysItIsIncomplete() {
        for (int seq = 1; seq <= 6; seq++) {
            log.send(message("lobby", seq));
        }

        DeliveryLog.Snapshot snapshot = log.snapshot();
        assertThat(snapshot.unconfirmed(), contains("lobby:3", "lobby:4", "lobby:5", "lobby:6"));
        assertThat(snapshot.confirmed(), is(Map.of("lobby", 2L)));
        assertThat(snapshot.complete(), is(false));
    }

    @Test
    void heldDirectMessagesFollowTheReplayAndOnlyThoseItDidNotCover() {
        DeliveryLog log = new DeliveryLog(socket, 100);
        log.holdDirect();
        log.send(message("lobby", 9));
        log.send(direct("dm:alice:bob", 5));
        log.send(direct("dm:alice:bob", 6));
        log.send(direct("dm:alice:carol", 1));
        log.sendReplayed(direct("dm:alice:bob", 4));
        log.sendReplayed(direct("dm:alice:bob", 5));

        log.releaseDirect(Map.of("dm:alice:bob", 5L));

        assertThat(log.snapshot().unconfirmed(),
                contains("lobby:9", "dm:alice:bob:4", "dm:alice:bob:5", "dm:alice:bob:6", "dm:alice:carol:1"));
        log.send(direct("dm:alice:bob", 7));
        assertThat("held no longer", Offsets.trailing(socket.packets.getLast()), is("dm:alice:bob:7"));
    }

    @Test
    void theFanOutsRoomAndSeqAreLoggedOnlyForAPacketThatCarriesThatOffset() {
        log.send(message("lobby", 12), "lobby", 12);
        log.send("42[\"typing\",{\"room\":\"lobby\"}]", "lobby", 13);
        log.send(message("lobby", 14), "lobby", 4);
        log.send(message("xlobby", 15), "lobby", 15);
        log.send(offsets.event(ChatEvent.MESSAGE, "lobby", 16, "{}"), "lobby", 16);

        assertThat(log.snapshot().unconfirmed(), contains("lobby:12", "lobby:16"));
        assertThat("every packet went out", socket.packets.size(), is(5));
    }

    @Test
    void theRingKeepsQueueOrderAcrossGrowingAndWrappingAround() {
        DeliveryLog log = new DeliveryLog(socket, 100);
        for (int seq = 1; seq <= 40; seq++) {
            log.send(message("lobby", seq), "lobby", seq);
        }
        socket.received = 30;
        log.snapshot();
        List<String> expected = new ArrayList<>();
        for (int seq = 31; seq <= 120; seq++) {
            if (seq > 40) {
                log.send(message("news", seq), "news", seq);
            }
            expected.add((seq <= 40 ? "lobby:" : "news:") + seq);
        }

        DeliveryLog.Snapshot snapshot = log.snapshot();
        assertThat(snapshot.unconfirmed(), is(expected));
        assertThat(snapshot.confirmed(), is(Map.of("lobby", 30L)));
        assertThat(snapshot.complete(), is(true));
    }

    @Test
    void aConnectionThatTakesNoMoreLogsNothing() {
        socket.open = false;

        log.send(message("lobby", 1));

        assertThat(log.snapshot().unconfirmed(), is(empty()));
    }

    private String message(String room, long seq) {
        return offsets.event(ChatEvent.MESSAGE, room, seq, "{\"room\":\"" + room + "\",\"seq\":" + seq + "}");
    }

    private String direct(String room, long seq) {
        return offsets.event(ChatEvent.DM, room, seq, "{\"room\":\"" + room + "\",\"seq\":" + seq + "}");
    }

    /** Counts what it queues, as an Engine.IO session does, and confirms what the test says the client read. */
    private static final class CountingConnection implements Connection {
        final List<String> packets = new ArrayList<>();
        volatile long received;
        volatile boolean open = true;

        @Override
        public boolean send(String packet) {
            if (open) {
                packets.add(packet);
            }
            return open;
        }

        @Override
        public void close(String reason) {
            open = false;
        }

        @Override
        public long sentCount() {
            return packets.size();
        }

        @Override
        public long receivedCount() {
            return received;
        }
    }
}
