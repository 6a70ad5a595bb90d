package chat.archiver.store;

import java.util.Objects;
import java.util.UUID;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.MessageChange;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import chat.common.UserErasure;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * One consumed Kafka record, decoded into what the archive does with it: a message to store, a connection event
 * to log, a read marker to raise, a room membership change to apply, an edit or deletion to apply to a message,
 * a user's erasure, or a record it cannot take, which goes to the dead-letter topic.
 */
public sealed interface Consumed {

    /** Where the record was read. */
    TopicPartition source();

    long offset();

    /**
     * A chat message for the {@code messages} table.
     *
     * @param id the message id, parsed (the archive stores it as a uuid)
     */
    record Message(TopicPartition source, long offset, ArchiveRecord record, UUID id) implements Consumed {
        public Message {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(id, "id");
        }
    }

    /** A line for the connection log. */
    record Event(TopicPartition source, long offset, ConnectionEvent event) implements Consumed {
        public Event {
            Objects.requireNonNull(event, "event");
        }
    }

    /** A user's read position in a room, for the {@code read_markers} table. */
    record Read(TopicPartition source, long offset, ReadMarker marker) implements Consumed {
        public Read {
            Objects.requireNonNull(marker, "marker");
        }
    }

    /** A change to a private room's or group's members, for the {@code rooms} and {@code room_members} tables. */
    record RoomChanged(TopicPartition source, long offset, RoomChange change) implements Consumed {
        public RoomChanged {
            Objects.requireNonNull(change, "change");
        }
    }

    /**
     * A record the archive cannot hold, kept byte for byte for the dead-letter topic.
     *
     * @param reason  what is wrong with it, for the dead-letter headers
     * @param key     the record's key, or null
     * @param value   the record's value, or null
     * @param headers the record's own headers
     */
    record Rejected(TopicPartition source, long offset, String reason, byte[] key, byte[] value, Header[] headers)
            implements Consumed {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * An edit or a deletion of a message, for {@code message_edits} and the message's row.
     *
     * @param messageId the changed message's id, parsed
     */
    record Change(TopicPartition source, long offset, MessageChange change, UUID messageId) implements Consumed {
        public Change {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    /** A user's erasure: their row in {@code users} is anonymised. */
    record Erasure(TopicPartition source, long offset, UserErasure erasure) implements Consumed {
        public Erasure {
            Objects.requireNonNull(erasure, "erasure");
        }
    }
}
