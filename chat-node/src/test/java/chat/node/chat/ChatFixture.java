package chat.node.chat;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.common.UserErasure;
import chat.node.archive.Archive;
import chat.node.auth.AuthSettings;
import chat.node.auth.TokenSigner;
import chat.node.auth.TokenVerifier;
import chat.node.history.History;
import chat.node.socketio.Admission;
import chat.node.socketio.Connection;
import chat.node.telemetry.NodeMetrics;

import io.helidon.metrics.api.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat components of one node wired as {@code Main} wires them, around an {@link InMemoryBus}, an archive whose
 * stores the test completes by hand, and clients whose connections record what they were sent.
 */
final class ChatFixture {
    static final String SECRET = "unit-test-secret-0123456789-abcdefghij";

    final JsonCodec codec = new JsonCodec();
    final InMemoryBus bus = new InMemoryBus();
    final HeldArchive archive = new HeldArchive();
    final Hub hub = new Hub(bus, 20);
    final TokenSigner tokens = new TokenSigner(SECRET);
    final TokenVerifier verifier = new TokenVerifier(new AuthSettings(SECRET, null, null, null, Duration.ZERO));
    final SessionExpiry expiry = new SessionExpiry(verifier, Duration.ZERO, codec);
    final NodeMetrics metrics = new NodeMetrics(Metrics.globalRegistry());
    final Presence presence = new Presence(codec);
    final ConnectionLog log = new ConnectionLog(archive, "unit");
    final History history = new History(bus, null, codec);
    final MessageSender.Limits messageLimits = new MessageSender.Limits(100, Duration.ofSeconds(5));
    final MessageEditor editor = new MessageEditor(bus, archive, history, metrics,
            OpenTelemetry.noop().getTracer("test"), codec, messageLimits);
    final ChatEvents events = new ChatEvents(hub, bus, history,
            new MessageSender(bus, archive, metrics, OpenTelemetry.noop().getTracer("test"), codec, messageLimits),
            editor, presence, log, expiry, metrics, codec, new ChatEvents.Limits(Duration.ofSeconds(1), 500));
    final Lobby lobby = new Lobby(verifier, expiry, hub, bus, presence, log, metrics, codec.mapper(),
            Duration.ofSeconds(1));

    /** A client that completed its CONNECT as {@code user}. */
    Client connected(String user) {
        return connected(user, false);
    }

    /** A client that completed its CONNECT as {@code user}, with the admin role when {@code admin}. */
    Client connected(String user, boolean admin) {
        Client client = new Client(new RecordingConnection(), lobby, events, new Client.Limits(1000, 1000, 100, 1000, 1000));
        Admission admission = client.onConnect("{\"token\":\"" + tokens.issue(user, user, admin,
                Duration.ofMinutes(5)) + "\"}");
        if (!(admission instanceof Admission.Accepted)) {
            throw new IllegalStateException("not admitted: " + admission);
        }
        return client;
    }

    static List<String> sent(Client client) {
        return ((RecordingConnection) client.connection()).packets;
    }

    /** Records every packet instead of sending it. */
    static final class RecordingConnection implements Connection {
        final List<String> packets = new CopyOnWriteArrayList<>();
        volatile String closedFor;

        @Override
        public boolean send(String packet) {
            packets.add(packet);
            return true;
        }

        @Override
        public void close(String reason) {
            closedFor = reason;
        }
    }

    /** An archive that holds every append until the test says it is stored. */
    static final class HeldArchive implements Archive {
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        final List<ArchiveRecord> records = new CopyOnWriteArrayList<>();
        final List<ConnectionEvent> logged = new CopyOnWriteArrayList<>();
        final List<MessageChange> changes = new CopyOnWriteArrayList<>();
        final List<UserErasure> erasures = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> append(ArchiveRecord record, Context parent) {
            CompletableFuture<Void> stored = new CompletableFuture<>();
            records.add(record);
            pending.add(stored);
            return stored;
        }

        @Override
        public CompletableFuture<Void> append(MessageChange change, Context parent) {
            CompletableFuture<Void> stored = new CompletableFuture<>();
            changes.add(change);
            pending.add(stored);
            return stored;
        }

        @Override
        public CompletableFuture<Void> erase(UserErasure erasure) {
            erasures.add(erasure);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void log(ConnectionEvent event) {
            logged.add(event);
        }

        @Override
        public boolean healthy() {
            return true;
        }
    }
}
