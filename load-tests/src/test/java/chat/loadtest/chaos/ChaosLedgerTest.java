package chat.loadtest.chaos;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChaosLedgerTest {

    private static final Phase STEADY = new Phase("steady", "no fault", 0, 0, 1_000);
    private static final Phase FAULT = new Phase("fault", "something killed", 1_000, 1_500, 2_000);

    private final ChaosLedger ledger = new ChaosLedger();
    private final List<ChaosLedger.Row> archive = new ArrayList<>();

    @Test
    void aMessageEveryMemberReceivedAndTheArchiveHoldsOnceIsClean() {
        join("alice", 10);
        join("bob", 10);
        ack("m11", 11, 100);
        deliver("alice", "m11", 11, 110);
        deliver("bob", "m11", 11, 120);
        archive.add(row("m11", 11, "c-m11", 100));

        PhaseResult steady = account().getFirst();

        assertEquals(1, steady.acked());
        assertEquals(0, steady.lostMessages());
        assertEquals(true, steady.clean());
    }

    @Test
    void aMemberMissingAnAckedMessageAboveItsJoinPointIsALossInThePhaseOfTheAck() {
        join("alice", 10);
        join("bob", 10);
        ack("m11", 11, 1_200);
        deliver("alice", "m11", 11, 1_210);

        PhaseResult fault = account().getLast();

        assertEquals(1, fault.lostMessages());
        assertEquals(1, fault.lostDeliveries());
    }

    @Test
    void messagesAtOrBelowTheFirstJoinPointAreNotOwedEvenAfterARejoinWithSince() {
        join("alice", 10);
        join("bob", 12);
        join("bob", 20);
        ack("m11", 11, 100);
        ack("m12", 12, 100);
        deliver("alice", "m11", 11, 110);
        deliver("alice", "m12", 12, 110);

        assertEquals(0, account().getFirst().lostMessages());
    }

    @Test
    void aJoinWithSinceIsARejoinAndWhatItsMissedAndPagesBroughtIsRecovered() {
        join("alice", 10);
        ack("m11", 11, 1_100);
        ledger.joined(new ChaosLedger.Join("alice", "room", 10, 11, 1_200, true));
        ledger.delivered(new ChaosLedger.Delivery("alice", "room", 11, "m11", 1_200, true));

        PhaseResult fault = account().getLast();

        assertEquals(1, fault.rejoins());
        assertEquals(1, fault.paged());
        assertEquals(1, fault.recovered());
        assertEquals(0, fault.lostMessages());
    }

    @Test
    void aSeqThatJumpsAfterRedisLostItsDataIsNoLossAndNoDisorder() {
        join("alice", 10);
        ack("m11", 11, 100);
        ack("m-new", 1_800_000_000_000_001L, 1_200);
        deliver("alice", "m11", 11, 110);
        deliver("alice", "m-new", 1_800_000_000_000_001L, 1_210);

        List<PhaseResult> results = account();

        assertEquals(0, results.getLast().lostMessages());
        assertEquals(0, results.getLast().outOfOrder());
    }

    @Test
    void aSecondDeliveryOfTheSameMessageIsADuplicateAndALowerSeqIsOutOfOrder() {
        join("alice", 10);
        ack("m11", 11, 100);
        ack("m12", 12, 100);
        ack("m13", 13, 100);
        deliver("alice", "m11", 11, 110);
        deliver("alice", "m13", 13, 120);
        deliver("alice", "m12", 12, 1_100);
        deliver("alice", "m13", 13, 1_200);

        List<PhaseResult> results = account();

        assertEquals(0, results.getFirst().duplicateDeliveries());
        assertEquals(1, results.getLast().outOfOrder());
        assertEquals(1, results.getLast().duplicateDeliveries());
        assertEquals(0, results.getFirst().lostMessages());
    }

    @Test
    void theArchiveIsCheckedForMissingAndRepeatedIdsSeqsAndCids() {
        ack("m11", 11, 100);
        ack("m12", 12, 100);
        ack("m13", 13, 100);
        archive.add(row("m11", 11, "c-m11", 100));
        archive.add(row("m11", 11, "c-m11", 100));
        archive.add(row("m12", 12, "c-m12", 100));
        archive.add(row("other", 12, "c-m12", 100));

        PhaseResult steady = account().getFirst();

        assertEquals(1, steady.missingInArchive());
        assertEquals(1, steady.duplicateRows());
        assertEquals(1, steady.duplicateRoomSeqs());
        assertEquals(1, steady.duplicateCids());
    }

    @Test
    void theArchiveCatchesUpWhenTheLastMessageAckedBeforeTheRestoreIsWritten() {
        ack("m11", 11, 1_100);
        ack("m12", 12, 1_600);
        archive.add(new ChaosLedger.Row("m11", "room", 11, "alice", "c-m11", 1_100, 1_900));
        archive.add(new ChaosLedger.Row("m12", "room", 12, "alice", "c-m12", 1_600, 1_650));

        PhaseResult fault = account().getLast();

        assertEquals(400, fault.archiveCatchUpMillis());
        assertEquals(0, fault.missingInArchive());
    }

    @Test
    void theLongestAckGapRunsFromThePhaseStartToItsEndAcrossAcks() {
        ack("m11", 11, 1_100);
        ack("m12", 12, 1_700);

        assertEquals(600, account().getLast().ackGapMillis());
        assertEquals(1_000, account().getFirst().ackGapMillis());
    }

    private List<PhaseResult> account() {
        return ledger.account(List.of(STEADY, FAULT), archive);
    }

    private void join(String member, long seq) {
        ledger.joined(new ChaosLedger.Join(member, "room", -1, seq, 0, false));
    }

    private void ack(String id, long seq, long at) {
        ledger.acked(new ChaosLedger.Ack("room", seq, id, "c-" + id, "alice", at - 10, at));
    }

    private void deliver(String member, String id, long seq, long at) {
        ledger.delivered(new ChaosLedger.Delivery(member, "room", seq, id, at, false));
    }

    private static ChaosLedger.Row row(String id, long seq, String cid, long sentAt) {
        return new ChaosLedger.Row(id, "room", seq, "alice", cid, sentAt, sentAt + 50);
    }
}
