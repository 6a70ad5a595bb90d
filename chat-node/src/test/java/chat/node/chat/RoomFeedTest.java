package chat.node.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

class RoomFeedTest {
    private final ChatFixture.RecordingConnection socket = new ChatFixture.RecordingConnection();
    private final RoomFeed feed = new RoomFeed();

    @Test
    void liveFramesWaitForTheJoinAckThenOnlyThoseAfterItsSeqFollow() {
        feed.offer("lobby", 4, "f4", socket);
        feed.offer("lobby", 5, "f5", socket);
        feed.offer("lobby", 0, "typing", socket);
        assertThat("held until the join is answered", socket.packets, empty());

        feed.open(4, "ack", socket);

        assertThat(socket.packets, contains("ack", "f5", "typing"));
    }

    @Test
    void afterTheJoinFramesAtOrBelowItsSeqAreDroppedAndNewerPass() {
        feed.open(10, null, socket);

        feed.offer("lobby", 9, "old", socket);
        feed.offer("lobby", 10, "same", socket);
        feed.offer("lobby", 11, "new", socket);

        assertThat(socket.packets, contains("new"));
    }
}
