package chat.node.history;

import chat.common.ChatMessage;
import chat.common.MessageChange;

import java.util.Objects;

/**
 * A message looked up by id, for changing it.
 *
 * @param asSent     the message as first sent (no text once deleted)
 * @param lastChange its latest edit or its deletion, or null when it never changed
 */
public record FoundMessage(ChatMessage asSent, MessageChange lastChange) {
    public FoundMessage {
        Objects.requireNonNull(asSent, "asSent");
    }

    public boolean deleted() {
        return lastChange != null && lastChange.kind() == MessageChange.Kind.DELETE;
    }

    /** The seq of its latest change, 0 when none. */
    long changeSeq() {
        return lastChange == null ? 0 : lastChange.seq();
    }
}
