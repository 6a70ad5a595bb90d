package chat.loadtest.wire;

import chat.loadtest.measure.DeliveryLedger;
import chat.loadtest.measure.ProcStat;
import chat.loadtest.measure.RoomChatSummary;
import chat.loadtest.measure.SendWindow;
import chat.loadtest.simulation.RoomChatSettings;
import chat.loadtest.simulation.UserTokens;
import chat.loadtest.socketio.SocketIoFrames;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.Future;

/**
 * The RoomChat load on raw WebSocket frames: the same users, rooms, placement, rates, send window, ledger and
 * summary file as {@link chat.loadtest.simulation.RoomChatSimulation}, with the settings of {@link RoomChatSettings},
 * but each socket is a bare Netty channel whose frames are read by {@link FrameScan}, with no Gatling session, check
 * or buffer per frame. It is the load generator of the scaling run, where the generator's CPU per delivery decides
 * how many nodes one machine can drive; the Gatling simulation stays for its reports and assertions.
 *
 * <p>Run with the load tests' classpath: {@code java -cp ... -DwsBaseUrls=ws://127.0.0.1:8081 -DauthSecret=...
 * -Dusers=200 -DratePerUser=1 chat.loadtest.wire.WireLoad}. It exits with 0 when the run kept its latency objective
 * and error budget, and 2 when not.
 */
public final class WireLoad {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final int MAX_FRAME = 1 << 20;
    private static final int FAILURES_LOGGED = 10;
    private static final long ORIGIN = System.nanoTime();

    private final RoomChatSettings settings;
    private final UserTokens tokens;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final SendWindow window;
    private final List<WireUser> users = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger failuresAfterJoin = new AtomicInteger();
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Transport transport;

    WireLoad(RoomChatSettings settings, int ioThreads) {
        this.settings = settings;
        this.tokens = new UserTokens(settings.authSecret());
        this.window = new SendWindow(settings.ramp(), SETTLE, settings.lead(), settings.send(), DRAIN);
        this.transport = Transport.choose(System.getProperty("transport", ""));
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, transport.handlers());
        this.channelType = transport.channelType();
    }

    public static void main(String[] args) throws InterruptedException {
        RoomChatSettings settings = RoomChatSettings.fromSystemProperties();
        // One event loop reads all sockets: a room's frames, which arrive together, then cost one wake-up, not one
        // per thread. Raise it where one core cannot keep up.
        int ioThreads = Integer.getInteger("ioThreads", 1);
        RoomChatSummary summary = new WireLoad(settings, ioThreads).run();
        System.out.println("RoomChat: " + summary.oneLine());
        System.exit(summary.passed() ? 0 : 2);
    }

    /** Brings the users in at the arrival rate, lets them send through the window, and writes the summary. */
    RoomChatSummary run() throws InterruptedException {
        window.start();
        Thread.ofPlatform().daemon().name("cpu-in-window").start(this::reportCpuInWindow);
        double gapMicros = 1_000_000 / settings.arrivalRate();
        for (int i = 0; i < settings.users(); i++) {
            int index = i;
            group.schedule(() -> arrive(index), Math.round(i * gapMicros), TimeUnit.MICROSECONDS);
        }
        Thread.sleep(Math.max(0, window.drainEnd() - System.currentTimeMillis()));
        for (WireUser user : users) {
            Channel channel = user.channel();
            if (channel != null) {
                channel.eventLoop().submit(user::finish).sync();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        RoomChatSummary summary = ledger.summarize(new RoomChatSummary.Run(settings.wsBaseUrls().size(),
                settings.users(), settings.roomSize(), settings.placement().name().toLowerCase(),
                settings.offeredRate(), settings.p99Millis(), settings.maxErrorPercent()), window);
        summary.write(settings.summaryFile());
        if (failures.get() > 0) {
            System.err.printf("%d sockets failed, %d of them after joining%n", failures.get(),
                    failuresAfterJoin.get());
        }
        return summary;
    }

    private void arrive(int index) {
        ledger.arrived();
        String user = settings.user(index);
        URI uri = URI.create(SocketIoFrames.endpoint(settings.node(index)));
        WireUser wireUser = new WireUser(index, user, settings.room(index), tokens.tokenFor(user), this);
        users.add(wireUser);
        WebSocketClientProtocolConfig handshake = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                // The frames are scanned as bytes, never decoded: checking their UTF-8 would be wasted work.
                .withUTF8Validator(false)
                .build();
        new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_FRAME),
                                new WebSocketClientProtocolHandler(handshake), wireUser);
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener((Future<? super Void> connected) -> {
                    if (!connected.isSuccess()) {
                        reportFailure(index, false, "connect: " + connected.cause());
                    }
                });
    }

    /** This JVM's user and system CPU over the send window, from /proc, so a run shows where its CPU went. */
    private void reportCpuInWindow() {
        try {
            Thread.sleep(Math.max(0, window.sendStart() - System.currentTimeMillis()));
            long[] start = ProcessCpu.ticks();
            Map<String, Long> threadsAtStart = ProcessCpu.byThreadKind();
            Thread.sleep(Math.max(0, window.sendEnd() - System.currentTimeMillis()));
            long[] end = ProcessCpu.ticks();
            Map<String, Long> threads = new TreeMap<>(ProcessCpu.byThreadKind());
            threads.replaceAll((kind, ticks) -> ticks - threadsAtStart.getOrDefault(kind, 0L));
            System.out.printf("load generator (%s transport) over the %.0f s send window: user %.2f CPU-s, "
                            + "system %.2f CPU-s; by thread: %s%n", transport, window.sendSeconds(),
                    (end[0] - start[0]) / ProcStat.TICKS_PER_SECOND,
                    (end[1] - start[1]) / ProcStat.TICKS_PER_SECOND,
                    threads.entrySet().stream().filter(e -> e.getValue() > 0)
                            .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / ProcStat.TICKS_PER_SECOND))
                            .collect(Collectors.joining(", ")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void reportFailure(int index, boolean afterJoin, String why) {
        if (failures.incrementAndGet() <= FAILURES_LOGGED) {
            System.err.printf("user %d failed%s: %s%n", index, afterJoin ? " after joining" : "", why);
        }
        if (afterJoin) {
            failuresAfterJoin.incrementAndGet();
        }
    }

    /** Microseconds on this JVM's monotonic clock, always positive. */
    long micros() {
        return (System.nanoTime() - ORIGIN) / 1000 + 1;
    }

    boolean inWindow() {
        return window.measures(System.currentTimeMillis());
    }

    DeliveryLedger ledger() {
        return ledger;
    }

    SendWindow window() {
        return window;
    }

    Duration handshakeTimeout() {
        return HANDSHAKE_TIMEOUT;
    }

    Duration ackTimeout() {
        return settings.ackTimeout();
    }

    double ratePerUser() {
        return settings.ratePerUser();
    }

    int textLength() {
        return settings.textLength();
    }

    Random random() {
        return ThreadLocalRandom.current();
    }
}
