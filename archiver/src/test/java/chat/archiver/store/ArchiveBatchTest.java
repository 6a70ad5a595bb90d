package chat.archiver.store;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class ArchiveBatchTest {

    private static final TopicPartition P0 = new TopicPartition("chat.messages", 0);
    private static final TopicPartition P1 = new TopicPartition("chat.messages", 1);

    @Test
    void eachPartitionRangeRunsFromWhereTheArchiveStandsToAfterItsLastRecord() {
        ArchiveBatch batch = new ArchiveBatch(List.of(message(P0, 10), message(P1, 3), message(P0, 12)),
                Map.of(P0, 10L, P1, 2L));

        assertThat(batch.offsets().get(P0), is(new ArchiveBatch.OffsetRange(10, 13)));
        assertThat(batch.offsets().get(P1), is(new ArchiveBatch.OffsetRange(2, 4)));
    }

    @Test
    void halvesChainSoThatTheSecondStartsWhereTheFirstEnds() {
        ArchiveBatch batch = new ArchiveBatch(List.of(message(P0, 10), message(P1, 3), message(P0, 11),
                message(P1, 5)), Map.of(P0, 10L, P1, 3L));

        List<ArchiveBatch> halves = batch.halves();

        assertThat(halves.get(0).offsets().get(P0), is(new ArchiveBatch.OffsetRange(10, 11)));
        assertThat(halves.get(0).offsets().get(P1), is(new ArchiveBatch.OffsetRange(3, 4)));
        assertThat(halves.get(1).offsets().get(P0), is(new ArchiveBatch.OffsetRange(11, 12)));
        assertThat(halves.get(1).offsets().get(P1), is(new ArchiveBatch.OffsetRange(4, 6)));
    }

    @Test
    void aPartitionOnlyInTheSecondHalfKeepsTheBatchStart() {
        ArchiveBatch batch = new ArchiveBatch(List.of(message(P0, 10), message(P1, 7)), Map.of(P0, 10L, P1, 7L));

        assertThat(batch.halves().get(1).offsets().get(P1), is(new ArchiveBatch.OffsetRange(7, 8)));
    }

    @Test
    void aRejectionReplacesTheRecordButKeepsItsRange() {
        ArchiveBatch single = new ArchiveBatch(List.of(message(P0, 4)), Map.of(P0, 4L));

        ArchiveBatch rejected = single.rejecting(new Consumed.Rejected(P0, 4, "bad", null, null,
                new org.apache.kafka.common.header.Header[0]));

        assertThat(rejected.messages().isEmpty(), is(true));
        assertThat(rejected.rejected().size(), is(1));
        assertThat(rejected.offsets().get(P0), is(new ArchiveBatch.OffsetRange(4, 5)));
    }

    @Test
    void monthsAreTheUtcMonthsTheMessagesWereSentIn() {
        ArchiveBatch batch = new ArchiveBatch(List.of(
                message(P0, 1, 1_706_745_599_999L),
                message(P0, 2, 1_706_745_600_000L)), Map.of(P0, 1L));

        assertThat(batch.months().stream().map(Object::toString).toList(), contains("2024-01-01", "2024-02-01"));
    }

    private static Consumed.Message message(TopicPartition source, long offset) {
        return message(source, offset, 1_700_000_000_000L);
    }

    private static Consumed.Message message(TopicPartition source, long offset, long ts) {
        UUID id = UUID.randomUUID();
        ChatMessage message = new ChatMessage(id.toString(), "room", offset, "user", "text", ts, null);
        return new Consumed.Message(source, offset, new ArchiveRecord(message, null), id);
    }
}
