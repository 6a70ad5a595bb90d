package chat.node.observe;

import chat.node.support.SioClient;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Real Socket.IO traffic on two nodes, enough for every panel of the dashboards to show something: joins and
 * messages crossing nodes, a resent message, a direct message, typing, history, refusals, a slow reader cut off,
 * and a steady pulse of messages that keeps the rates and latencies alive while Prometheus scrapes.
 */
final class ChatTraffic implements AutoCloseable {
    private static final Duration PULSE = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TracedNodes nodes;
    private final UnaryOperator<String> names;
    private final List<SioClient> clients = new ArrayList<>();
    private volatile boolean pulsing = true;
    private Thread pulse;

    /** @param names fresh room and user names, so that runs sharing Redis never meet */
    ChatTraffic(TracedNodes nodes, UnaryOperator<String> names) {
        this.nodes = nodes;
        this.names = names;
    }

    /**
     * Announces to every socket until a socket on node 1 that stopped reading is cut off for its full outbox.
     * Run it while no other socket is open: every socket receives every announcement.
     */
    void slowReaderIsCutOff(int maxAnnouncements) {
        String text = "x".repeat(3900);
        try (SioClient slow = nodes.connect(1, names.apply("slow"))) {
            slow.stopReading();
            for (int sent = 1; sent <= maxAnnouncements; sent++) {
                announce(0, text);
                if (sent % 50 == 0 && cutOff(1)) {
                    return;
                }
            }
            throw new AssertionError("the slow reader was not cut off after " + maxAnnouncements + " announcements");
        }
    }

    /** Two users on node 0 and one on node 1 talk in a room, and one asks for what a client may not do. */
    void conversation() {
        String room = names.apply("general");
        String alice = names.apply("alice");
        String bob = names.apply("bob");
        String carol = names.apply("carol");
        SioClient onA = keep(nodes.connect(0, alice));
        SioClient onB = keep(nodes.connect(1, bob));
        SioClient alsoOnA = keep(nodes.connect(0, carol));
        for (SioClient client : List.of(onA, onB, alsoOnA)) {
            ok(client.call("join", Map.of("room", room)));
        }
        ok(onA.call("message", Map.of("room", room, "text", "hello from node 1", "cid", "c1")));
        // The same cid again: acked as the same message and produced again, so the archiver skips a duplicate.
        ok(onA.call("message", Map.of("room", room, "text", "hello from node 1", "cid", "c1")));
        ok(onB.call("message", Map.of("room", room, "text", "hello from node 2")));
        onB.awaitCount("message", 1);
        onA.awaitCount("message", 1);
        alsoOnA.send("typing", Map.of("room", room));
        onB.await("typing", t -> t.path("room").asText().equals(room));
        ok(onB.call("history", Map.of("room", room)));
        ok(onA.call("dm", Map.of("to", bob, "text", "just between us")));
        onB.await("dm", m -> m.path("from").asText().equals(alice));
        refused(alsoOnA.call("message", Map.of("room", names.apply("elsewhere"), "text", "not a member")),
                "forbidden");
        refused(alsoOnA.call("shout", Map.of("room", room)), "not_found");
        try (SioClient stranger = SioClient.open(nodes.port(1))) {
            if (!stranger.connect("not-a-token").startsWith("44")) {
                throw new AssertionError("a forged token was accepted");
            }
        }
        ok(alsoOnA.call("leave", Map.of("room", room)));
    }

    /** Starts sending a message every 200 ms, alternately from each node, to a room with members on both. */
    void startPulse() {
        String room = names.apply("pulse");
        List<SioClient> senders = List.of(keep(nodes.connect(0, names.apply("pulse-a"))),
                keep(nodes.connect(1, names.apply("pulse-b"))));
        List<SioClient> members = new ArrayList<>(senders);
        members.add(keep(nodes.connect(0, names.apply("listener-a"))));
        members.add(keep(nodes.connect(1, names.apply("listener-b"))));
        for (SioClient member : members) {
            ok(member.call("join", Map.of("room", room)));
        }
        pulse = Thread.ofVirtual().name("chat-traffic-pulse").start(() -> {
            for (long i = 0; pulsing; i++) {
                // Acks may say unavailable while a fault is injected; the pulse goes on regardless.
                senders.get((int) (i % 2)).emit("message", Map.of("room", room, "text", "pulse " + i));
                try {
                    Thread.sleep(PULSE);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** A client of this traffic on node {@code index}, closed with it. */
    SioClient client(int index, String user) {
        return keep(nodes.connect(index, user));
    }

    @Override
    public void close() {
        pulsing = false;
        if (pulse != null) {
            pulse.interrupt();
        }
        clients.forEach(SioClient::close);
    }

    private SioClient keep(SioClient client) {
        clients.add(client);
        return client;
    }

    private boolean cutOff(int node) {
        String text = MetricsScrape.fetch(nodes.managementPort(node), MetricsScrape.PROMETHEUS_TEXT);
        return MetricsScrape.sum(text, "chat_outbox_overflow_disconnects_total") > 0;
    }

    private void announce(int node, String text) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + nodes.port(node) + "/api/announce"))
                            .header("Authorization", "Bearer " + nodes.adminToken(names.apply("admin")))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 202) {
                throw new AssertionError("announce answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new AssertionError("announce failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void ok(JsonNode ack) {
        if (!ack.path("ok").asBoolean(false)) {
            throw new AssertionError("expected an ok ack, got " + ack);
        }
    }

    static void refused(JsonNode ack, String code) {
        if (ack.path("ok").asBoolean(true) || !code.equals(ack.path("error").path("code").asText())) {
            throw new AssertionError("expected a '" + code + "' error ack, got " + ack);
        }
    }
}
