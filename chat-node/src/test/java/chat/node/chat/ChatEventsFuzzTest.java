package chat.node.chat;

import chat.node.socketio.Ack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Fuzz target of every client event's payload validation, through the chat components wired as in a node
 * ({@link ChatFixture}). An input is an event name, a line break, and its payload (JSON, or any text, which then
 * arrives as a JSON string). Whatever it is, the sender gets exactly one ack, {@code ok} or an error code of
 * PROTOCOL.md §7 other than {@code internal}, or its session is closed; no exception escapes; the sender can go on
 * (a join afterwards is acknowledged); and another client, already in a room, still gets its message acknowledged.
 * Without {@code JAZZER_FUZZ=1} it runs its seed corpus
 * ({@code src/test/resources/chat/node/chat/ChatEventsFuzzTestInputs/}) as a regression test.
 */
class ChatEventsFuzzTest {
    private static final Set<String> REFUSALS = Arrays.stream(ErrorCode.values())
            .filter(code -> code != ErrorCode.INTERNAL).map(ErrorCode::wire).collect(Collectors.toSet());
    private static final long FUZZED_ACK = 7;
    private static final long AFTERWARDS_ACK = 8;

    @FuzzTest(maxDuration = "60s")
    void anyEventPayloadIsAnsweredOnceWithoutHarmToTheSenderOrToOthers(byte[] input) {
        ChatFixture chat = new ChatFixture();
        Client bob = chat.connected("bob");
        event(chat, bob, "join", "{\"room\":\"lobby\"}", 1);
        Client mallory = chat.connected("mallory");
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String name = newline < 0 ? text : text.substring(0, newline);
        String payload = newline < 0 ? null : text.substring(newline + 1);

        mallory.onEvent(name, payload == null ? null : parsedOrText(chat, payload), new Ack(FUZZED_ACK));
        storeEverythingArchived(chat);

        if (((ChatFixture.RecordingConnection) mallory.connection()).closedFor == null) {
            assertAnsweredOnce(chat, mallory, FUZZED_ACK);
            event(chat, mallory, "join", "{\"room\":\"afterwards\"}", AFTERWARDS_ACK);
            assertThat("the sender is not stuck", ack(chat, mallory, AFTERWARDS_ACK).path("ok").asBoolean(), is(true));
        }
        event(chat, bob, "message", "{\"room\":\"lobby\",\"text\":\"still here\"}", 2);
        storeEverythingArchived(chat);
        assertThat(((ChatFixture.RecordingConnection) bob.connection()).closedFor, is(nullValue()));
        assertThat("another client is unaffected", ack(chat, bob, 2).path("ok").asBoolean(), is(true));
    }

    private static void assertAnsweredOnce(ChatFixture chat, Client client, long ackId) {
        JsonNode ack = ack(chat, client, ackId);
        if (!ack.path("ok").asBoolean()) {
            assertThat("an error ack of PROTOCOL.md §7: " + ack, ack.path("error").path("code").asText(),
                    isIn(REFUSALS));
            assertThat(ack.path("error").path("message").isTextual(), is(true));
        }
    }

    private static JsonNode parsedOrText(ChatFixture chat, String payload) {
        try {
            JsonNode parsed = chat.codec.mapper().readTree(payload);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(payload) : parsed;
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(payload);
        }
    }

    /** Messages are acknowledged once the archive has them; the fuzzed ones are stored at once. */
    private static void storeEverythingArchived(ChatFixture chat) {
        chat.archive.pending.forEach(stored -> stored.complete(null));
    }

    private static void event(ChatFixture chat, Client client, String name, String payload, long ackId) {
        client.onEvent(name, parsedOrText(chat, payload), new Ack(ackId));
    }

    private static JsonNode ack(ChatFixture chat, Client client, long ackId) {
        String prefix = "43" + ackId + "[";
        List<String> acks = ChatFixture.sent(client).stream().filter(packet -> packet.startsWith(prefix)).toList();
        assertThat("exactly one ack " + ackId + " in " + ChatFixture.sent(client), acks, hasSize(1));
        JsonNode args = parsedOrText(chat, acks.getFirst().substring(prefix.length() - 1));
        assertThat(args.isArray(), is(true));
        assertThat(args.get(0), not(nullValue()));
        return args.get(0);
    }
}
