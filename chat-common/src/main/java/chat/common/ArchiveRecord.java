package chat.common;

import java.util.Objects;

/**
 * What a chat node produces to the {@code chat.messages} Kafka topic: the message plus the sender's display
 * name, which the archiver keeps in the {@code users} table.
 *
 * @param message    the message exactly as delivered to clients
 * @param senderName display name from the sender's token, or null
 */
public record ArchiveRecord(ChatMessage message, String senderName) {
    public ArchiveRecord {
        Objects.requireNonNull(message, "message");
    }
}
