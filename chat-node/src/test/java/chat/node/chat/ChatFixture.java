package chat.node.chat;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;
import chat.common.JsonCodec;
import chat.common.MessageChange;
import chat.common.ReadMarker;
import chat.common.RoomChange;
import chat.common.UserErasure;
import chat.node.archive.Archive;
import chat.node.auth.AuthSettings;
import chat.node.auth.TokenSigner;
import chat.node.auth.TokenVerifier;
import chat.node.fanout.SessionStore;
import chat.node.history.History;
import chat.node.socketio.Admission;
import chat.node.socketio.Connection;
import chat.node.telemetry.NodeMetrics;

import io.helidon.metrics.api.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
    final Presence presence = new Presence(bus, hub, codec);
    final ConnectionLog log = new ConnectionLog(archive, "unit");
    final History history = new History(bus, null, codec);
    final MessageSender.Limits messageLimits = new MessageSender.Limits(100, Duration.ofSeconds(5));
    final MessageEditor editor = new MessageEditor(bus, archive, history, metrics,
            OpenTelemetry.noop().getTracer("test"), codec, messageLimits);
    final InMemoryMembers members = new InMemoryMembers(bus);
    final RoomAccess access = new RoomAccess(members, null, metrics);
    final Removals removals = new Removals(hub, bus, access, presence, log, metrics, codec);
    final PrivateRooms rooms = new PrivateRooms(access, members, bus, archive, metrics,
            OpenTelemetry.noop().getTracer("test"), codec, new PrivateRooms.Limits(5, Duration.ofSeconds(5)));
    final ChatEvents events = new ChatEvents(hub, bus, access, rooms, history,
            new MessageSender(bus, archive, metrics, OpenTelemetry.noop().getTracer("test"), codec, messageLimits),
            editor, new ReadMarkers(bus, history, null, archive, metrics, OpenTelemetry.noop().getTracer("test"), codec,
                    new ReadMarkers.Limits(Duration.ofSeconds(5), 500)),
            presence, log, expiry, metrics, codec, new ChatEvents.Limits(Duration.ofSeconds(1), 500));
    final InMemorySessions sessions = new InMemorySessions();
    final Offsets offsets;
    final Lobby lobby;

    /** The components with connection state recovery off, as unit tests of the rest want them. */
    ChatFixture() {
        this(Duration.ZERO);
    }

    /** @param recoveryWindow how long a dropped socket's session is kept; zero turns recovery off */
    ChatFixture(Duration recoveryWindow) {
        SessionRecovery.Settings settings = SessionRecovery.Settings.of(recoveryWindow, 500, 1024);
        offsets = new Offsets(settings.enabled());
        SessionRecovery recovery = new SessionRecovery(settings, sessions, new Rejoin(hub, bus, access,
                new History(bus, null, codec), presence, log, codec, offsets, Duration.ofSeconds(1)), metrics, codec);
        lobby = new Lobby(verifier, expiry, hub, presence, log, metrics, codec.mapper(), Duration.ofSeconds(1),
                recovery);
    }

    /** A client that completed its CONNECT as {@code user}. */
    Client connected(String user) {
        return connected(user, false);
    }

    /** A client that completed its CONNECT as {@code user}, with the admin role when {@code admin}. */
    Client connected(String user, boolean admin) {
        Client client = client();
        Admission admission = connect(client, user, admin, "");
        if (!(admission instanceof Admission.Accepted)) {
            throw new IllegalStateException("not admitted: " + admission);
        }
        return client;
    }

    /** A client that has not sent its CONNECT yet. */
    Client client() {
        return new Client(new RecordingConnection(), lobby, events, new Client.Limits(1000, 1000, 100, 1000, 1000));
    }

    /**
     * Sends the client's CONNECT as {@code user}, with more fields of the auth object ({@code ,"pid":"..."}), and
     * runs what follows the answer, as the Socket.IO layer does.
     */
    Admission connect(Client client, String user, String moreAuth) {
        return connect(client, user, false, moreAuth);
    }

    /** As {@link #connect(Client, String, String)}, with the admin role when {@code admin}. */
    Admission connect(Client client, String user, boolean admin, String moreAuth) {
        Admission admission = client.onConnect("{\"token\":\"" + tokens.issue(user, user, admin,
                Duration.ofMinutes(5)) + "\"" + moreAuth + "}");
        if (admission instanceof Admission.Accepted accepted) {
            accepted.afterAnswer().run();
        }
        return admission;
    }

    static List<String> sent(Client client) {
        Connection connection = client.connection();
        return ((RecordingConnection) (connection instanceof DeliveryLog log ? log.connection() : connection)).packets;
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

    /** Sessions kept in memory, without their time to live. */
    static final class InMemorySessions implements SessionStore {
        final Map<String, String> saved = new ConcurrentHashMap<>();

        @Override
        public void save(String user, String pid, String state, Duration ttl) {
            saved.put(user + "/" + pid, state);
        }

        @Override
        public String take(String user, String pid) {
            return saved.remove(user + "/" + pid);
        }
    }

    /** An archive that holds every append and read marker until the test says it is stored. */
    static final class HeldArchive implements Archive {
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        final List<ArchiveRecord> records = new CopyOnWriteArrayList<>();
        final List<ConnectionEvent> logged = new CopyOnWriteArrayList<>();
        final List<ReadMarker> markers = new CopyOnWriteArrayList<>();
        final List<RoomChange> roomChanges = new CopyOnWriteArrayList<>();
        final List<MessageChange> changes = new CopyOnWriteArrayList<>();
        final List<UserErasure> erasures = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> append(ArchiveRecord record, Context parent) {
            return held(records, record);
        }

        @Override
        public CompletableFuture<Void> append(MessageChange change, Context parent) {
            return held(changes, change);
        }

        @Override
        public CompletableFuture<Void> mark(ReadMarker marker, Context parent) {
            return held(markers, marker);
        }

        @Override
        public CompletableFuture<Void> roomChanged(RoomChange change, Context parent) {
            return held(roomChanges, change);
        }

        /** Keeps {@code item} and a future that completes when the test says it is stored. */
        private <T> CompletableFuture<Void> held(List<T> kept, T item) {
            CompletableFuture<Void> stored = new CompletableFuture<>();
            kept.add(item);
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
