package chat.node.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class OffsetsTest {
    private static final String MESSAGE = "{\"id\":\"m1\",\"room\":\"lobby\",\"seq\":5,\"text\":\"ends in \\\"]\"}";

    @Test
    void aMessageEventCarriesItsRoomAndSeqAsItsLastArgumentWhileRecoveryIsOn() {
        String packet = new Offsets(true).event(ChatEvent.MESSAGE, "lobby", 5, MESSAGE);

        assertThat(packet, is("42[\"message\"," + MESSAGE + ",\"lobby:5\"]"));
        assertThat(Offsets.trailing(packet), is("lobby:5"));
    }

    @Test
    void withRecoveryOffEventsAreAsBefore() {
        String packet = new Offsets(false).event(ChatEvent.MESSAGE, "lobby", 5, MESSAGE);

        assertThat(packet, is("42[\"message\"," + MESSAGE + "]"));
        assertThat(Offsets.trailing(packet), is(nullValue()));
    }

    @Test
    void eventsWithoutASeqCarryNoOffset() {
        Offsets offsets = new Offsets(true);

        assertThat(offsets.event(ChatEvent.TYPING, "lobby", 0, "{\"room\":\"lobby\"}"),
                is("42[\"typing\",{\"room\":\"lobby\"}]"));
        assertThat(offsets.event(ChatEvent.PRESENCE, "lobby", 3, "{}"), is("42[\"presence\",{}]"));
    }

    @Test
    void theOffsetOfADirectMessageNamesItsConversation() {
        String offset = Offsets.trailing(new Offsets(true).event(ChatEvent.DM, "dm:alice:bob", 17, "{}"));

        assertThat(offset, is("dm:alice:bob:17"));
        assertThat(Offsets.room(offset), is("dm:alice:bob"));
        assertThat(Offsets.seq(offset), is(17L));
    }

    @Test
    void packetsThatEndInAnObjectHaveNoOffset() {
        assertThat(Offsets.trailing("431[{\"ok\":true}]"), is(nullValue()));
        assertThat(Offsets.trailing("42[\"error\",{\"event\":\"x\"}]"), is(nullValue()));
        assertThat(Offsets.trailing("42[\"message\"," + MESSAGE + "]"), is(nullValue()));
    }
}
