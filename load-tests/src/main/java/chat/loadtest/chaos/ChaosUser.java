package chat.loadtest.chaos;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One member of one room, as a careful client behaves: it sends at a steady pace, one message at a time, each with a
 * {@code cid}; it resends a message whose ack was {@code unavailable} or never came, with the same {@code cid}; when
 * its connection is gone it connects to the next node and joins again with {@code since} the last {@code seq} it saw,
 * reading {@code missed} and paging with {@code history} while {@code more}. Everything it sees goes to the ledger.
 */
final class ChaosUser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Past the node's Kafka ack timeout (5 s): an ack later than this is not coming. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final int HISTORY_PAGE = 100;

    private final String name;
    private final String room;
    private final String token;
    private final List<String> nodes;
    private final double ratePerSecond;
    private final HttpClient http;
    private final ChaosLedger ledger;
    private final List<JsonNode> held = new ArrayList<>();
    private volatile boolean sending = true;
    private volatile boolean running = true;
    private volatile boolean inRoom;
    private volatile boolean offline;
    private volatile Pending pending;
    private boolean joining;
    private long lastSeq = -1;
    private int nodeIndex;
    private int sent;
    private ChatSocket socket;

    /** A message until its {@code ok} ack: resent with the same cid until then. */
    private record Pending(String cid, String text, long firstSentAt) {
    }

    /** @param homeNode the index in {@code nodes} of the node it connects to first */
    ChaosUser(String name, String room, String token, List<String> nodes, int homeNode, double ratePerSecond,
              HttpClient http, ChaosLedger ledger) {
        this.name = name;
        this.room = room;
        this.token = token;
        this.nodes = List.copyOf(nodes);
        this.nodeIndex = homeNode;
        this.ratePerSecond = ratePerSecond;
        this.http = http;
        this.ledger = ledger;
    }

    /** Connects, joins and sends until {@link #close()}; run it on a thread of its own. */
    void run() {
        long nextSend = System.currentTimeMillis() + ThreadLocalRandom.current().nextLong(intervalMillis());
        while (running) {
            if (offline) {
                pause(Duration.ofMillis(100));
                continue;
            }
            try {
                ChatSocket connection = connectAndJoin();
                nextSend = sendWhileConnected(connection, nextSend);
            } catch (IOException e) {
                pause(RETRY_PAUSE);
            } finally {
                inRoom = false;
                closeSocket();
            }
            // A node that closed or refused us may be going away: the next attempt goes to the other one.
            nodeIndex = (nodeIndex + 1) % nodes.size();
        }
    }

    /** Stops new messages; one still pending is resent until acknowledged. */
    void stopSending() {
        sending = false;
    }

    /** Whether it is in its room with nothing left to send. */
    boolean settled() {
        return inRoom && pending == null && !offline;
    }

    /**
     * Drops its connection and stays away, as a phone that lost its network does, a message in flight included; it
     * comes back with {@code since} after {@link #comeBack()}.
     */
    void goOffline() {
        offline = true;
        closeSocket();
    }

    void comeBack() {
        offline = false;
    }

    void close() {
        running = false;
        closeSocket();
    }

    private ChatSocket connectAndJoin() throws IOException {
        ChatSocket connection = ChatSocket.connect(http, nodes.get(nodeIndex), token, CONNECT_TIMEOUT, this::received);
        long since;
        synchronized (this) {
            if (offline) {
                connection.close();
                throw new IOException("went offline while connecting");
            }
            socket = connection;
            joining = true;
            since = lastSeq;
        }
        ObjectNode join = JSON.createObjectNode().put("room", room);
        if (since >= 0) {
            join.put("since", since);
        }
        JsonNode ack = await(connection.emit("join", join));
        if (!ack.path("ok").asBoolean()) {
            throw new IOException("join refused: " + ack);
        }
        long joinSeq = ack.path("seq").asLong();
        boolean more = ack.path("more").asBoolean();
        ledger.joined(new ChaosLedger.Join(name, room, since, joinSeq, System.currentTimeMillis(), more));
        List<JsonNode> missed = new ArrayList<>();
        ack.path("missed").forEach(missed::add);
        if (more) {
            missed.addAll(pageOn(connection, missed.isEmpty() ? since : missed.getLast().path("seq").asLong(),
                    joinSeq));
        }
        synchronized (this) {
            missed.forEach(message -> record(message, true));
            if (lastSeq < 0) {
                lastSeq = joinSeq;
            }
            held.forEach(message -> record(message, false));
            held.clear();
            joining = false;
        }
        inRoom = true;
        return connection;
    }

    /** The messages with {@code from < seq <= upTo} that a join's {@code missed} left out, from {@code history}. */
    private List<JsonNode> pageOn(ChatSocket connection, long from, long upTo) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        long before = upTo + 1;
        while (true) {
            ObjectNode query = JSON.createObjectNode().put("room", room).put("before", before)
                    .put("limit", HISTORY_PAGE);
            JsonNode page = await(connection.emit("history", query));
            if (!page.path("ok").asBoolean()) {
                throw new IOException("history refused: " + page);
            }
            List<JsonNode> messages = new ArrayList<>();
            page.path("messages").forEach(messages::add);
            messages.stream().filter(m -> m.path("seq").asLong() > from).forEach(found::add);
            if (messages.size() < HISTORY_PAGE || messages.getFirst().path("seq").asLong() <= from + 1) {
                break;
            }
            before = messages.getFirst().path("seq").asLong();
        }
        found.sort(Comparator.comparingLong(m -> m.path("seq").asLong()));
        return found;
    }

    private long sendWhileConnected(ChatSocket connection, long nextSend) throws IOException {
        while (running && !offline && !connection.closed().isDone()) {
            if (pending == null) {
                if (!sending) {
                    pause(RETRY_PAUSE);
                    continue;
                }
                long wait = nextSend - System.currentTimeMillis();
                if (wait > 0) {
                    pause(Duration.ofMillis(Math.min(wait, RETRY_PAUSE.toMillis())));
                    continue;
                }
                // A client that fell behind (it waited for acks) does not burst to catch up.
                nextSend = Math.max(nextSend, System.currentTimeMillis() - intervalMillis()) + intervalMillis();
                String cid = name + "-" + ++sent;
                pending = new Pending(cid, "chaos " + cid, System.currentTimeMillis());
            }
            sendPending(connection);
        }
        return nextSend;
    }

    private void sendPending(ChatSocket connection) throws IOException {
        Pending message = pending;
        ObjectNode body = JSON.createObjectNode().put("room", room).put("text", message.text())
                .put("cid", message.cid());
        JsonNode ack;
        try {
            ack = connection.emit("message", body).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            ledger.unanswered(System.currentTimeMillis());
            if (e instanceof ExecutionException) {
                throw new IOException("connection closed before the ack", e);
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        long now = System.currentTimeMillis();
        if (ack.path("ok").asBoolean()) {
            ledger.acked(new ChaosLedger.Ack(room, ack.path("seq").asLong(), ack.path("id").asText(), message.cid(),
                    name, message.firstSentAt(), now));
            pending = null;
            return;
        }
        String code = ack.path("error").path("code").asText();
        if (code.equals("unavailable")) {
            ledger.unavailable(now);
        } else {
            ledger.unanswered(now);
            System.err.printf("%s: message refused with %s; rejoining%n", name, ack);
            throw new IOException("message refused: " + code);
        }
        pause(RETRY_PAUSE);
    }

    /** A room message from the socket's reading thread: held while a join is being read, recorded otherwise. */
    private synchronized void received(JsonNode message) {
        if (!room.equals(message.path("room").asText())) {
            return;
        }
        if (joining) {
            held.add(message);
        } else {
            record(message, false);
        }
    }

    private void record(JsonNode message, boolean missed) {
        long seq = message.path("seq").asLong();
        ledger.delivered(new ChaosLedger.Delivery(name, room, seq, message.path("id").asText(),
                System.currentTimeMillis(), missed));
        lastSeq = Math.max(lastSeq, seq);
    }

    private synchronized void closeSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        joining = false;
        held.clear();
    }

    private long intervalMillis() {
        return Math.round(1000 / ratePerSecond);
    }

    private static JsonNode await(CompletableFuture<JsonNode> ack) throws IOException {
        try {
            return ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no ack", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
