package chat.node.fanout;

import chat.common.ChatMessage;

/**
 * A message after the cluster assigned its sequence number.
 *
 * @param message  the message with its {@code seq}
 * @param json     the message as clients receive it
 * @param repeated true when an earlier message with the same sender and {@code cid} was found and returned
 *                 instead of publishing again
 */
public record Sequenced(ChatMessage message, String json, boolean repeated) {
}
