package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.util.Optional;

import chat.stack.ClusterTopology.Member;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {

    /** A CLUSTER NODES reply after the master on 7001 was killed and its replica on 7004 took over. */
    private static final String AFTER_FAILOVER = """
            a1 127.0.0.1:7001@17001 master,fail - 1700000000000 1700000000000 1 disconnected
            a2 127.0.0.1:7002@17002 myself,master - 0 0 2 connected 5461-10921
            a3 127.0.0.1:7003@17003,node-3 master - 0 1700000000000 3 connected 10922-16383 [10922->-a2]
            a4 127.0.0.1:7004@17004 master - 0 1700000000000 7 connected 0-5459 5460
            a5 127.0.0.1:7005@17005 slave a2 0 1700000000000 2 connected
            a6 127.0.0.1:7006@17006 slave,fail? a3 0 1700000000000 3 connected
            """;

    private final ClusterTopology topology = ClusterTopology.parse(AFTER_FAILOVER);

    @Test
    void promotedReplicaOwnsTheSlotsOfTheFailedMaster() {
        assertThat(topology.ownerOf(0).map(Member::port), is(Optional.of(7004)));
        assertThat(topology.ownerOf(5460).map(Member::port), is(Optional.of(7004)));
        assertThat(topology.servingMasters().stream().map(Member::port).toList(), contains(7002, 7003, 7004));
    }

    @Test
    void slotBeingMovedStillCountsForItsOwnerOnly() {
        assertThat(topology.ownerOf(10922).map(Member::port), is(Optional.of(7003)));
        assertThat(topology.slotsServedBy(master -> true), is(ClusterTopology.SLOTS));
    }

    @Test
    void slotsOfMastersThatFailTheTestAreNotCounted() {
        assertThat(topology.slotsServedBy(master -> master.port() != 7004), is(ClusterTopology.SLOTS - 5461));
    }

    @Test
    void nodeNamesTheMasterItFollowsAndWhetherItIsTakenForFailed() {
        assertThat(topology.byId("a5").map(Member::masterId), is(Optional.of("a2")));
        assertThat(topology.byId("a1").map(Member::isFailing), is(Optional.of(true)));
        assertThat(topology.byId("a6").map(Member::isFailing), is(Optional.of(true)));
        assertThat(topology.byId("a4").map(Member::isFailing), is(Optional.of(false)));
    }
}
