package chat.loadtest.measure;

import chat.loadtest.socketio.Delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryLedgerTest {

    private final DeliveryLedger ledger = new DeliveryLedger();
    private final SendWindow window = new SendWindow(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10),
            Duration.ofSeconds(1));
    private final RoomChatSummary.Run run = new RoomChatSummary.Run(1, 2, 2, "sharded", 1, 100, 0.1);

    @Test
    void aMessageMissingAtOneMemberIsLostAndNothingElseIs() {
        window.start();
        join(0, 1);
        ack(5, 6);
        receive(0, 5, 6);
        receive(1, 5);

        RoomChatSummary summary = ledger.summarize(run, window);

        assertEquals(4, summary.expectedDeliveries());
        assertEquals(1, summary.lost());
        assertEquals(0, summary.duplicates());
        assertEquals(0, summary.outOfOrder());
    }

    @Test
    void aRepeatedSeqIsADuplicateAndALowerOneIsOutOfOrder() {
        window.start();
        join(0);
        ack(5, 6, 7);
        receive(0, 5, 7, 7, 6);

        RoomChatSummary summary = ledger.summarize(run, window);

        assertEquals(0, summary.lost());
        assertEquals(1, summary.duplicates());
        assertEquals(1, summary.outOfOrder());
    }

    @Test
    void messagesAtOrBeforeTheJoinAreNotExpected() {
        window.start();
        ledger.arrived();
        ledger.joined(0, "r", 5);
        ack(5, 6);
        receive(0, 6);

        RoomChatSummary summary = ledger.summarize(run, window);

        assertEquals(1, summary.expectedDeliveries());
        assertEquals(0, summary.lost());
    }

    private void join(int... users) {
        for (int user : users) {
            ledger.arrived();
            ledger.joined(user, "r", 4);
        }
    }

    private void ack(long... seqs) {
        for (long seq : seqs) {
            ledger.sent();
            ledger.acked("r", seq, 1, true);
        }
    }

    private void receive(int user, long... seqs) {
        for (long seq : seqs) {
            ledger.received(user, "u" + user, new Delivery("r", seq, "other", System.currentTimeMillis() - 3),
                    System.currentTimeMillis(), window);
        }
    }
}
