package chat.archiver.consume;

import java.nio.charset.StandardCharsets;

import chat.archiver.store.Consumed;
import chat.common.ChatMessage;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.common.UserErasure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Edits, deletions and erasures on the messages topic, told apart from messages by a field of their own. */
class ChangeRecordDecoderTest {

    private static final String MESSAGES = "chat.messages";
    private static final String ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    private static final ChatMessage SENT = new ChatMessage(ID, "lobby", 3, "alice", "helo", 1_700_000_000_000L, "c1");

    private final JsonCodec codec = new JsonCodec();
    private final RecordDecoder decoder = new RecordDecoder(codec, MESSAGES);

    @Test
    void anEditBecomesAChangeWithItsMessageAsFirstSentAndItsIdParsed() {
        MessageChange edit = MessageChange.edit(SENT, "alice", "hello", 1_700_000_001_000L).withSeq(5);

        Consumed.Change decoded = (Consumed.Change) decode(codec.encode(edit));

        assertThat(decoded.change(), is(edit));
        assertThat(decoded.change().message().text(), is("helo"));
        assertThat(decoded.messageId().toString(), is(ID));
    }

    @Test
    void aDeletionCarriesItsMessageWithoutTextOrCid() {
        MessageChange deletion = MessageChange.delete(SENT, "mod", 1_700_000_001_000L).withSeq(6);

        Consumed.Change decoded = (Consumed.Change) decode(codec.encode(deletion));

        assertThat(decoded.change().kind(), is(MessageChange.Kind.DELETE));
        assertThat(decoded.change().message().text(), is(""));
        assertThat(decoded.change().message().cid(), is(nullValue()));
        assertThat(decoded.change().text(), is(nullValue()));
    }

    @Test
    void anErasureBecomesAnErasure() {
        UserErasure erasure = new UserErasure("alice", "admin", 7);

        assertThat(((Consumed.Erasure) decode(codec.encode(erasure))).erasure(), is(erasure));
    }

    @Test
    void aChangeThatDoesNotFollowItsMessageIsRejected() {
        MessageChange early = MessageChange.edit(SENT, "alice", "hello", 1).withSeq(3);

        assertThat(((Consumed.Rejected) decode(codec.encode(early))).reason(),
                is("a change's 'seq' must be above its message's"));
    }

    @Test
    void anEditWithoutTextAndAnUnknownChangeAreRejected() {
        String edit = codec.encode(MessageChange.edit(SENT, "alice", "x", 1).withSeq(5)).replace(",\"text\":\"x\"", "");
        String unknown = codec.encode(MessageChange.edit(SENT, "alice", "x", 1).withSeq(5))
                .replace("\"change\":\"edit\"", "\"change\":\"pin\"");

        assertThat(((Consumed.Rejected) decode(edit)).reason(), is("an edit needs a 'text' and a deletion has none"));
        assertThat(((Consumed.Rejected) decode(unknown)).reason(), is("unknown change 'pin'"));
    }

    @Test
    void anEditTextWithANulCharacterIsRejected() {
        MessageChange edit = MessageChange.edit(SENT, "alice", "a\u0000b", 1).withSeq(5);

        assertThat(((Consumed.Rejected) decode(codec.encode(edit))).reason(),
                is("field 'text' contains a NUL character"));
    }

    private Consumed decode(String json) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(MESSAGES, 0, 0, null,
                json.getBytes(StandardCharsets.UTF_8));
        return decoder.decode(record, new TopicPartition(MESSAGES, 0));
    }
}
