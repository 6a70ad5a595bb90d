package chat.node.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class NamesTest {

    @Test
    void publicRoomNamesFollowTheProtocolPattern() {
        assertThat(Names.isPublicRoom("general"), is(true));
        assertThat(Names.isPublicRoom("a"), is(true));
        assertThat(Names.isPublicRoom("0-room_x"), is(true));
        assertThat(Names.isPublicRoom("a".repeat(64)), is(true));
        assertThat(Names.isPublicRoom("a".repeat(65)), is(false));
        assertThat(Names.isPublicRoom("General"), is(false));
        assertThat(Names.isPublicRoom("-x"), is(false));
        assertThat(Names.isPublicRoom("a b"), is(false));
        assertThat(Names.isPublicRoom(""), is(false));
        assertThat(Names.isPublicRoom("dm:a:b"), is(false));
    }

    @Test
    void directRoomSortsItsTwoUsers() {
        assertThat(Names.directRoom("bob", "alice"), is("dm:alice:bob"));
        assertThat(Names.directRoom("alice", "bob"), is("dm:alice:bob"));
        assertThat(Names.directMembers("dm:alice:bob"), arrayContaining("alice", "bob"));
    }

    @Test
    void illFormedDirectRoomsAreRejected() {
        assertThat(Names.directMembers("dm:bob:alice"), nullValue());
        assertThat(Names.directMembers("dm:alice"), nullValue());
        assertThat(Names.directMembers("dm:a:b:c"), nullValue());
        assertThat(Names.directMembers("dm:a b:c"), nullValue());
        assertThat(Names.isDirectRoom("general"), is(false));
    }

    @Test
    void privateRoomsAreAPublicNameAfterPAndGroupsAnIdAfterG() {
        assertThat(Names.isPrivateRoom("p:team"), is(true));
        assertThat(Names.isPrivateRoom("p:" + "a".repeat(65)), is(false));
        assertThat(Names.isPrivateRoom("p:Team"), is(false));
        assertThat(Names.isPrivateRoom("p:"), is(false));
        assertThat(Names.isGroupRoom("g:k3x9q0b2za"), is(true));
        assertThat(Names.isGroupRoom("g:k3x-9"), is(false));
        assertThat(Names.isMembersOnly("team"), is(false));
        assertThat(Names.isMembersOnly("dm:a:b"), is(false));
        assertThat(Names.isPublicRoom("p:team"), is(false));
    }

    @Test
    void userIdsFollowTheProtocolPattern() {
        assertThat(Names.isUser("alice.B-2_x"), is(true));
        assertThat(Names.isUser("a".repeat(65)), is(false));
        assertThat(Names.isUser("al ice"), is(false));
        assertThat(Names.isUser("al:ice"), is(false));
    }
}
