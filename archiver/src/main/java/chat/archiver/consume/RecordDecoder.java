package chat.archiver.consume;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import chat.archiver.store.Consumed;
import chat.common.ArchiveRecord;
import chat.common.ChatMessage;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MalformedRecordException;
import chat.common.MessageChange;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import chat.common.UserErasure;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Turns a consumed Kafka record into what the archive does with it. A record that does not decode, or that
 * PostgreSQL could not store as it is, becomes {@link Consumed.Rejected} with the reason, instead of failing the
 * batch it is in.
 */
final class RecordDecoder {

    /** Years 1 to 9999 (UTC): what a calendar month partition can be named and bounded by. */
    private static final long MIN_TS = -62_135_596_800_000L;
    private static final long MAX_TS = 253_402_300_799_999L;
    /** Ids and room names are B-tree index keys, which PostgreSQL limits to about 2.7 kB per entry. */
    private static final int MAX_KEY_CHARS = 512;

    private static final Header[] NO_HEADERS = new Header[0];

    private final JsonCodec codec;
    private final String messagesTopic;

    RecordDecoder(JsonCodec codec, String messagesTopic) {
        this.codec = codec;
        this.messagesTopic = messagesTopic;
    }

    Consumed decode(ConsumerRecord<byte[], byte[]> record, TopicPartition source) {
        try {
            if (record.value() == null) {
                throw new MalformedRecordException("record has no value");
            }
            String json = new String(record.value(), StandardCharsets.UTF_8);
            if (record.topic().equals(messagesTopic)) {
                return onMessagesTopic(codec.read(json), source, record.offset());
            }
            JsonNode event = codec.read(json);
            if (JsonCodec.isReadMarker(event)) {
                return new Consumed.Read(source, record.offset(), admissible(codec.readMarkerFrom(event)));
            }
            if (JsonCodec.isRoomChange(event)) {
                return new Consumed.RoomChanged(source, record.offset(), admissible(codec.roomChangeFrom(event)));
            }
            return new Consumed.Event(source, record.offset(), admissible(codec.connectionEventFrom(event)));
        } catch (MalformedRecordException e) {
            return new Consumed.Rejected(source, record.offset(), e.getMessage(), record.key(), record.value(),
                    record.headers().toArray());
        }
    }

    /** A record of the messages topic: a message, or (typed apart by a field of its own) a change or an erasure. */
    private Consumed onMessagesTopic(JsonNode node, TopicPartition source, long offset) {
        if (JsonCodec.isChange(node)) {
            MessageChange change = codec.changeFrom(node);
            return new Consumed.Change(source, offset, change, admissible(change));
        }
        if (JsonCodec.isErasure(node)) {
            return new Consumed.Erasure(source, offset, admissible(codec.erasureFrom(node)));
        }
        ArchiveRecord archived = codec.archiveRecordFrom(node);
        return new Consumed.Message(source, offset, archived, admissible(archived));
    }

    /**
     * A decoded record that PostgreSQL refused, as a rejection: its value is what the codec writes for it, its key
     * the one a chat node gives it (room for a message or a room change, user for an event or a read marker).
     */
    Consumed.Rejected refused(Consumed entry, String reason) {
        return switch (entry) {
            case Consumed.Message message -> new Consumed.Rejected(message.source(), message.offset(), reason,
                    utf8(message.record().message().room()), utf8(codec.encode(message.record())), NO_HEADERS);
            case Consumed.Event event -> new Consumed.Rejected(event.source(), event.offset(), reason,
                    utf8(event.event().user()), utf8(codec.encode(event.event())), NO_HEADERS);
            case Consumed.Read read -> new Consumed.Rejected(read.source(), read.offset(), reason,
                    utf8(read.marker().user()), utf8(codec.encode(read.marker())), NO_HEADERS);
            case Consumed.RoomChanged changed -> new Consumed.Rejected(changed.source(), changed.offset(), reason,
                    utf8(changed.change().room()), utf8(codec.encode(changed.change())), NO_HEADERS);
            case Consumed.Rejected rejected -> rejected;
            case Consumed.Change change -> new Consumed.Rejected(change.source(), change.offset(), reason,
                    utf8(change.change().message().room()), utf8(codec.encode(change.change())), NO_HEADERS);
            case Consumed.Erasure erasure -> new Consumed.Rejected(erasure.source(), erasure.offset(), reason,
                    utf8(erasure.erasure().user()), utf8(codec.encode(erasure.erasure())), NO_HEADERS);
        };
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The record as the archive can store it, or a reason why not; returns the message id parsed. */
    private static UUID admissible(ArchiveRecord archived) {
        ChatMessage message = archived.message();
        key("room", message.room());
        key("from", message.from());
        text("text", message.text());
        text("cid", message.cid());
        text("name", archived.senderName());
        time(message.ts());
        return uuid(message.id());
    }

    private static ConnectionEvent admissible(ConnectionEvent event) {
        key("user", event.user());
        text("name", event.name());
        text("room", event.room());
        text("node", event.node());
        text("socket", event.socket());
        time(event.ts());
        return event;
    }

    private static ReadMarker admissible(ReadMarker marker) {
        key("user", marker.user());
        key("room", marker.room());
        if (marker.seq() < 0) {
            throw new MalformedRecordException("field 'seq' must not be negative");
        }
        time(marker.ts());
        return marker;
    }

    private static RoomChange admissible(RoomChange change) {
        key("room", change.room());
        key("by", change.by());
        // The table's CHECK would refuse any other kind on every retry, not as a data exception to corner.
        if (!change.kind().equals("private") && !change.kind().equals("group")) {
            throw new MalformedRecordException("field 'kind' must be private or group");
        }
        text("owner", change.owner());
        for (String user : change.users()) {
            key("users", user);
        }
        time(change.ts());
        return change;
    }

    /** The change as the archive can store it, or a reason why not; returns the changed message's id parsed. */
    private static UUID admissible(MessageChange change) {
        ChatMessage message = change.message();
        key("room", message.room());
        key("from", message.from());
        key("by", change.by());
        text("text", change.text());
        text("message text", message.text());
        text("cid", message.cid());
        time(message.ts());
        time(change.ts());
        if (change.seq() <= message.seq()) {
            throw new MalformedRecordException("a change's 'seq' must be above its message's");
        }
        return uuid(message.id());
    }

    private static UserErasure admissible(UserErasure erasure) {
        key("erase", erasure.user());
        key("by", erasure.by());
        time(erasure.ts());
        return erasure;
    }

    private static void key(String field, String value) {
        text(field, value);
        if (value.length() > MAX_KEY_CHARS) {
            throw new MalformedRecordException("field '" + field + "' is longer than " + MAX_KEY_CHARS
                    + " characters");
        }
    }

    /** PostgreSQL text cannot hold the NUL character, which JSON strings can. */
    private static void text(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw new MalformedRecordException("field '" + field + "' contains a NUL character");
        }
    }

    private static void time(long ts) {
        if (ts < MIN_TS || ts > MAX_TS) {
            throw new MalformedRecordException("field 'ts' is outside the years 1 to 9999");
        }
    }

    /** Only the hyphenated 36-character form: any other string that UUID.fromString takes would not read back the same. */
    private static UUID uuid(String id) {
        if (id.length() != 36) {
            throw new MalformedRecordException("field 'id' is not a UUID");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    throw new MalformedRecordException("field 'id' is not a UUID");
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                throw new MalformedRecordException("field 'id' is not a UUID");
            }
            if (i < 18) {
                high = high << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return new UUID(high, low);
    }
}
