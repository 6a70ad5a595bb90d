package chat.node.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class HubTest {
    private final ChatFixture chat = new ChatFixture();

    @Test
    void roomIsSubscribedWhileItHasALocalMemberAndNoLonger() {
        Client a = chat.connected("alice");
        Client b = chat.connected("bob");

        assertThat(chat.hub.join(a, "lobby").added(), is(true));
        chat.hub.join(b, "lobby");
        assertThat(chat.bus.subscribed.contains("chat:room:{lobby}"), is(true));

        chat.hub.leave(a, "lobby");
        assertThat("one member is still here", chat.bus.subscribed.contains("chat:room:{lobby}"), is(true));
        chat.hub.leave(b, "lobby");
        assertThat(chat.bus.subscribed.contains("chat:room:{lobby}"), is(false));
        assertThat(chat.hub.hasRoom("lobby"), is(false));
    }

    @Test
    void onlyAUsersFirstSocketInARoomCountsForPresenceAndOnlyItsLastLeaving() {
        Client phone = chat.connected("alice");
        Client laptop = chat.connected("alice");

        assertThat(chat.hub.join(phone, "lobby").firstOfUser(), is(true));
        assertThat(chat.hub.join(laptop, "lobby").firstOfUser(), is(false));
        assertThat(chat.hub.leave(phone, "lobby"), is(false));
        assertThat(chat.hub.leave(laptop, "lobby"), is(true));
    }

    @Test
    void joiningTwiceIsNotASecondMembership() {
        Client a = chat.connected("alice");
        chat.hub.join(a, "lobby");

        assertThat(chat.hub.join(a, "lobby").added(), is(false));
        assertThat(chat.hub.inRoom("lobby"), contains(a));
    }

    @Test
    void aRoomFrameIsDeliveredOnceAndItsWatermarkIsForgottenWithTheRoom() {
        Client a = chat.connected("alice");
        chat.hub.join(a, "lobby");

        assertThat(chat.hub.firstDelivery("lobby", 5), is(true));
        assertThat("a repeat after resubscribing", chat.hub.firstDelivery("lobby", 5), is(false));
        assertThat(chat.hub.firstDelivery("lobby", 4), is(false));
        assertThat(chat.hub.deliveredUpTo().get("lobby"), is(5L));

        chat.hub.leave(a, "lobby");
        assertThat(chat.hub.deliveredUpTo().entrySet(), is(empty()));
    }

    @Test
    void usersChannelIsHeldWhileTheUserHasASocketHere() {
        Client phone = chat.connected("alice");
        Client laptop = chat.connected("alice");
        assertThat(chat.hub.ofUser("alice").size(), is(2));

        chat.hub.disconnect(phone);
        assertThat(chat.bus.subscribed.contains("chat:user:{alice}"), is(true));
        chat.hub.disconnect(laptop);
        assertThat(chat.bus.subscribed.contains("chat:user:{alice}"), is(false));
        assertThat(chat.hub.connected(), is(empty()));
    }
}
