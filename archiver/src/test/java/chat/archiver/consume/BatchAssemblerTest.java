package chat.archiver.consume;

import java.util.List;
import java.util.UUID;

import chat.archiver.store.ArchiveBatch;
import chat.archiver.store.Consumed;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class BatchAssemblerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final long WAIT = 1_000;

    @Test
    void aBatchIsDueWhenFull() {
        BatchAssembler assembler = new BatchAssembler(2, WAIT);
        assembler.add(message(P0, 0), 0, 0);
        assertThat(assembler.due(0), is(false));

        assembler.add(message(P0, 1), 1, 0);

        assertThat(assembler.due(0), is(true));
    }

    @Test
    void aBatchIsDueWhenItsFirstRecordHasWaitedLongEnough() {
        BatchAssembler assembler = new BatchAssembler(100, WAIT);
        assembler.add(message(P0, 0), 0, 500);

        assertThat(assembler.due(500 + WAIT - 1), is(false));
        assertThat(assembler.due(500 + WAIT), is(true));
    }

    @Test
    void theStartOfAPartitionIsTakenFromItsFirstRecordInTheBatch() {
        BatchAssembler assembler = new BatchAssembler(100, WAIT);
        assembler.add(message(P0, 5), 5, 0);
        assembler.add(message(P0, 6), 6, 0);

        ArchiveBatch batch = assembler.drain();

        assertThat(batch.offsets().get(P0), is(new ArchiveBatch.OffsetRange(5, 7)));
        assertThat(assembler.isEmpty(), is(true));
    }

    @Test
    void droppingAPartitionForgetsItsRecordsOnly() {
        BatchAssembler assembler = new BatchAssembler(100, WAIT);
        assembler.add(message(P0, 0), 0, 0);
        assembler.add(message(P1, 0), 0, 0);

        assembler.drop(List.of(P0));

        ArchiveBatch batch = assembler.drain();
        assertThat(batch.size(), is(1));
        assertThat(batch.offsets().keySet(), is(java.util.Set.of(P1)));
    }

    private static Consumed message(TopicPartition partition, long offset) {
        UUID id = UUID.randomUUID();
        return new Consumed.Message(partition, offset, new ArchiveRecord(
                new ChatMessage(id.toString(), "r", offset, "u", "t", 1, null), null), id);
    }
}
