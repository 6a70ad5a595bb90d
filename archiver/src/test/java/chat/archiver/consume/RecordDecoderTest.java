package chat.archiver.consume;

import java.nio.charset.StandardCharsets;
import java.util.List;

import chat.archiver.store.Consumed;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class RecordDecoderTest {

    private static final String MESSAGES = "chat.messages";
    private static final String EVENTS = "chat.events";
    private static final String ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    private final JsonCodec codec = new JsonCodec();
    private final RecordDecoder decoder = new RecordDecoder(codec, MESSAGES);

    @Test
    void anArchiveRecordBecomesAMessageWithItsIdParsed() {
        ChatMessage message = new ChatMessage(ID, "lobby", 3, "alice", "hi", 1_700_000_000_000L, "c1");

        Consumed decoded = decode(record(MESSAGES, codec.encode(new ArchiveRecord(message, "Alice"))));

        Consumed.Message archived = (Consumed.Message) decoded;
        assertThat(archived.record().message(), is(message));
        assertThat(archived.record().senderName(), is("Alice"));
        assertThat(archived.id().toString(), is(ID));
    }

    @Test
    void aConnectionEventBecomesAnEvent() {
        ConnectionEvent event = new ConnectionEvent(ConnectionEvent.Type.JOIN, "bob", "Bob", "lobby", "n1", "s1", 5);

        Consumed decoded = decode(record(EVENTS, codec.encode(event)));

        assertThat(((Consumed.Event) decoded).event(), is(event));
    }

    @Test
    void aReadMarkerOnTheEventsTopicBecomesARead() {
        ReadMarker marker = new ReadMarker("bob", "dm:alice:bob", 41, 1_700_000_000_000L);

        Consumed decoded = decode(record(EVENTS, codec.encode(marker)));

        assertThat(((Consumed.Read) decoded).marker(), is(marker));
    }

    @Test
    void aReadMarkerWithANegativeSeqIsRejected() {
        Consumed decoded = decode(record(EVENTS, codec.encode(new ReadMarker("bob", "lobby", -1, 5))));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'seq' must not be negative"));
    }

    @Test
    void aReadMarkerWithoutARoomIsRejected() {
        Consumed decoded = decode(record(EVENTS, "{\"type\":\"read\",\"user\":\"bob\",\"seq\":3,\"ts\":5}"));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'room' must be a string"));
    }

    @Test
    void aReadMarkerWhoseSeqIsNotAnIntegerIsRejected() {
        Consumed decoded = decode(record(EVENTS,
                "{\"type\":\"read\",\"user\":\"bob\",\"room\":\"lobby\",\"seq\":\"3\",\"ts\":5}"));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'seq' must be an integer"));
    }

    @Test
    void anEventOfAnUnknownTypeIsRejected() {
        Consumed decoded = decode(record(EVENTS, "{\"type\":\"teleport\",\"user\":\"bob\",\"node\":\"n\","
                + "\"socket\":\"s\",\"ts\":5}"));

        assertThat(((Consumed.Rejected) decoded).reason(), is("unknown connection event type 'teleport'"));
    }

    @Test
    void aRoomChangeOnTheEventsTopicBecomesARoomChange() {
        RoomChange change = new RoomChange(RoomChange.Change.ADD, "p:team", "private", "alice", List.of("bob"),
                "alice", 17, 5);

        Consumed decoded = decode(record(EVENTS, codec.encode(change)));

        assertThat(((Consumed.RoomChanged) decoded).change(), is(change));
    }

    @Test
    void aRoomChangeOfAnUnknownKindIsRejected() {
        RoomChange change = new RoomChange(RoomChange.Change.ADD, "p:team", "secret", "alice", List.of("bob"),
                "alice", 17, 5);

        Consumed decoded = decode(record(EVENTS, codec.encode(change)));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'kind' must be private or group"));
    }

    @Test
    void invalidJsonIsRejectedWithTheCodecsReason() {
        Consumed decoded = decode(record(MESSAGES, "{\"id\":"));

        assertThat(decoded, instanceOf(Consumed.Rejected.class));
        assertThat(((Consumed.Rejected) decoded).reason(), startsWith("invalid JSON"));
    }

    @Test
    void aMessageWithoutTextIsRejected() {
        Consumed decoded = decode(record(MESSAGES,
                "{\"id\":\"" + ID + "\",\"room\":\"r\",\"seq\":1,\"from\":\"a\",\"ts\":1}"));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'text' must be a string"));
    }

    @Test
    void anUppercaseIdIsReadAsTheSameUuid() {
        ChatMessage message = new ChatMessage(ID.toUpperCase(java.util.Locale.ROOT), "lobby", 1, "a", "hi", 1, null);

        Consumed decoded = decode(record(MESSAGES, codec.encode(new ArchiveRecord(message, null))));

        assertThat(((Consumed.Message) decoded).id().toString(), is(ID));
    }

    @Test
    void anIdThatIsNotAUuidIsRejected() {
        ChatMessage message = new ChatMessage("not-a-uuid", "lobby", 1, "alice", "hi", 1, null);

        Consumed decoded = decode(record(MESSAGES, codec.encode(new ArchiveRecord(message, null))));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'id' is not a UUID"));
    }

    @Test
    void textWithANulCharacterIsRejectedBecausePostgresCannotStoreIt() {
        ChatMessage message = new ChatMessage(ID, "lobby", 1, "alice", "a\u0000b", 1, null);

        Consumed decoded = decode(record(MESSAGES, codec.encode(new ArchiveRecord(message, null))));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'text' contains a NUL character"));
    }

    @Test
    void aTimestampBeyondYear9999IsRejected() {
        ChatMessage message = new ChatMessage(ID, "lobby", 1, "alice", "hi", Long.MAX_VALUE, null);

        Consumed decoded = decode(record(MESSAGES, codec.encode(new ArchiveRecord(message, null))));

        assertThat(((Consumed.Rejected) decoded).reason(), is("field 'ts' is outside the years 1 to 9999"));
    }

    @Test
    void aRejectionKeepsTheRecordsBytesAndSource() {
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};

        Consumed.Rejected rejected = (Consumed.Rejected) decode(
                new ConsumerRecord<>(MESSAGES, 7, 42, "k".getBytes(StandardCharsets.UTF_8), notUtf8));

        assertThat(rejected.value(), is(notUtf8));
        assertThat(rejected.source().partition(), is(7));
        assertThat(rejected.offset(), is(42L));
    }

    @Test
    void aRecordWithoutValueIsRejected() {
        Consumed decoded = decode(new ConsumerRecord<>(MESSAGES, 0, 0, null, null));

        assertThat(((Consumed.Rejected) decoded).reason(), is("record has no value"));
    }

    private Consumed decode(ConsumerRecord<byte[], byte[]> record) {
        return decoder.decode(record, new TopicPartition(record.topic(), record.partition()));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String json) {
        return new ConsumerRecord<>(topic, 0, 0, null, json.getBytes(StandardCharsets.UTF_8));
    }
}
