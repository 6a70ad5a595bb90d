package chat.node.chat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class SavedSessionTest {
    private static final List<String> SENT = List.of("lobby:11", "news:4", "lobby:12", "dm:alice:bob:7", "lobby:13");

    @Test
    void everyMessageSentUpToTheClientsOffsetWasReadAndNoneAfterIt() {
        SavedSession saved = new SavedSession("s1", Map.of("lobby", 10L, "news", 3L), Map.of(), SENT, true);

        assertThat(saved.resumePoints("lobby:12"), is(Map.of("lobby", 12L, "news", 4L, "dm:alice:bob", 6L)));
    }

    @Test
    void aClientThatReadNothingSinceTheConfirmedOnesResumesFromThem() {
        SavedSession saved = new SavedSession("s1", Map.of("lobby", 10L, "news", 3L), Map.of("dm:alice:carol", 2L),
                SENT, true);

        assertThat(saved.resumePoints(null),
                is(Map.of("lobby", 10L, "news", 3L, "dm:alice:bob", 6L, "dm:alice:carol", 2L)));
        assertThat("an offset of an earlier connection says the same", saved.resumePoints("lobby:9"),
                is(saved.resumePoints(null)));
    }

    @Test
    void aRoomLeftMeanwhileIsNotResumed() {
        SavedSession saved = new SavedSession("s1", Map.of("lobby", 10L), Map.of(), SENT, true);

        assertThat(saved.resumePoints("lobby:13"), is(Map.of("lobby", 13L, "dm:alice:bob", 7L)));
    }

    @Test
    void whenUnreadMessagesWereDroppedOnlyAnOffsetAmongTheKeptOnesTells() {
        SavedSession saved = new SavedSession("s1", Map.of("lobby", 10L, "news", 3L), Map.of(), SENT, false);

        assertThat(saved.resumePoints("lobby:9"), is(nullValue()));
        assertThat(saved.resumePoints(null), is(nullValue()));
        assertThat(saved.resumePoints("news:4"), is(Map.of("lobby", 11L, "news", 4L, "dm:alice:bob", 6L)));
    }
}
