package chat.loadtest.wire;

import chat.loadtest.measure.Receiver;
import chat.loadtest.socketio.SocketIoFrames;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * One virtual user on its own WebSocket: the Engine.IO open, Socket.IO CONNECT with its token, {@code join} of its
 * room, then one {@code message} every {@code 1 / ratePerUser} seconds through the send window, whether or not
 * earlier acks have come (an open model: a slow cluster is not given time to catch up). Every frame is handled on
 * the socket's event loop, so a user's state needs no lock.
 *
 * <p>A message's text starts with the send time in microseconds of this JVM's monotonic clock, which every user
 * shares, so each receiver measures the delay from the sender to itself.
 */
final class WireUser extends ChannelInboundHandlerAdapter {

    /** Acks awaited at once; a slot still taken when its turn comes again belongs to a long-overdue ack. */
    private static final int PENDING_SLOTS = 4096;
    private static final byte[] OPEN = FrameScan.ascii("0{");
    private static final byte[] CONNECTED = FrameScan.ascii("40");
    private static final byte[] CONNECT_ERROR = FrameScan.ascii("44");
    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("3", StandardCharsets.US_ASCII)).asReadOnly();
    private static final byte[] MESSAGE_TAIL = FrameScan.ascii("\"}]");

    private enum State { OPENING, CONNECTING, JOINING, JOINED, FAILED, FINISHED }

    private final int index;
    private final String user;
    private final String room;
    private final String token;
    private final WireLoad load;
    private final byte[] userBytes;
    private final byte[] roomBytes;
    private final byte[] messageHead;
    private final byte[] cidHead;
    private final long[] pendingSentAt = new long[PENDING_SLOTS];
    private final int[] pendingAckId = new int[PENDING_SLOTS];
    /** The frame being read; a message split into fragments is put together here. */
    private byte[] scratch = new byte[1024];
    private int fragmentLength;
    private State state = State.OPENING;
    private Channel channel;
    private Receiver receiver;
    private ScheduledFuture<?> sender;
    private int nextAckId = 1;
    private long sent;

    WireUser(int index, String user, String room, String token, WireLoad load) {
        this.index = index;
        this.user = user;
        this.room = room;
        this.token = token;
        this.load = load;
        this.userBytes = FrameScan.ascii(user);
        this.roomBytes = FrameScan.ascii(room);
        this.messageHead = FrameScan.ascii("[\"message\",{\"room\":\"" + room + "\",\"text\":\"");
        this.cidHead = FrameScan.ascii("\",\"cid\":\"c" + user + "-");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        channel.eventLoop().schedule(this::failUnlessJoined, load.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TextWebSocketFrame) && !(msg instanceof ContinuationWebSocketFrame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            if (msg instanceof TextWebSocketFrame) {
                fragmentLength = 0;
            }
            ByteBuf content = frame.content();
            int length = content.readableBytes();
            if (fragmentLength + length > scratch.length) {
                scratch = Arrays.copyOf(scratch, Integer.highestOneBit(fragmentLength + length) << 1);
            }
            content.getBytes(content.readerIndex(), scratch, fragmentLength, length);
            fragmentLength += length;
        } finally {
            frame.release();
        }
        if (frame.isFinalFragment()) {
            onFrame(scratch, fragmentLength);
            fragmentLength = 0;
        }
    }

    private void onFrame(byte[] frame, int length) {
        long ackId = FrameScan.ackId(frame, length);
        if (length == 1 && frame[0] == '2') {
            channel.writeAndFlush(new TextWebSocketFrame(PONG.duplicate()), channel.voidPromise());
        } else if (state == State.JOINED && FrameScan.startsWith(frame, length, FrameScan.MESSAGE_EVENT)) {
            onMessage(frame, length);
        } else if (ackId >= 0) {
            onAck((int) ackId, frame, length);
        } else if (state == State.OPENING && FrameScan.startsWith(frame, length, OPEN)) {
            state = State.CONNECTING;
            sendText(SocketIoFrames.connect(token));
        } else if (state == State.CONNECTING && FrameScan.startsWith(frame, length, CONNECTED)) {
            state = State.JOINING;
            sendText(SocketIoFrames.join(room));
        } else if (FrameScan.startsWith(frame, length, CONNECT_ERROR)) {
            fail("CONNECT refused: " + new String(frame, 0, length, StandardCharsets.UTF_8));
        }
    }

    private void onMessage(byte[] frame, int length) {
        int sameRoom = FrameScan.stringAfterEquals(frame, length, FrameScan.ROOM_KEY, roomBytes);
        long seq = FrameScan.numberAfter(frame, length, FrameScan.SEQ_KEY);
        if (sameRoom < 0 || seq < 0) {
            onUnscannedMessage(new String(frame, 0, length, StandardCharsets.UTF_8));
            return;
        }
        if (sameRoom == 0) {
            return;
        }
        boolean own = FrameScan.stringAfterEquals(frame, length, FrameScan.FROM_KEY, userBytes) == 1;
        long sentAt = own ? -1 : FrameScan.numberAfter(frame, length, FrameScan.TEXT_KEY);
        load.ledger().received(receiver, seq, sentAt > 0 ? load.micros() - sentAt : -1, load.inWindow());
    }

    /** A message frame the scan could not read (escapes, another field order): the JSON parser reads it. */
    private void onUnscannedMessage(String frame) {
        SocketIoFrames.delivery(frame).filter(delivery -> delivery.room().equals(room)).ifPresent(delivery -> {
            boolean own = user.equals(delivery.from());
            long sentAt = own ? -1 : delivery.sentAt();
            load.ledger().received(receiver, delivery.seq(), sentAt > 0 ? load.micros() - sentAt : -1,
                    load.inWindow());
        });
    }

    private void onAck(int ackId, byte[] frame, int length) {
        boolean ok = FrameScan.indexOf(frame, length, FrameScan.OK_TRUE, 0) >= 0;
        long seq = FrameScan.numberAfter(frame, length, FrameScan.SEQ_KEY);
        if (ackId == SocketIoFrames.JOIN_ACK_ID) {
            if (state != State.JOINING) {
                return;
            }
            if (!ok || seq < 0) {
                fail("join refused: " + new String(frame, 0, length, StandardCharsets.UTF_8));
                return;
            }
            state = State.JOINED;
            receiver = load.ledger().joined(index, room, seq);
            startSending();
            return;
        }
        int slot = ackId & (PENDING_SLOTS - 1);
        if (pendingAckId[slot] != ackId || pendingSentAt[slot] == 0) {
            return;
        }
        long micros = load.micros() - pendingSentAt[slot];
        pendingSentAt[slot] = 0;
        if (ok && seq >= 0 && micros <= load.ackTimeout().toNanos() / 1000) {
            load.ledger().acked(room, seq, micros, load.inWindow());
        } else {
            load.ledger().ackFailed();
        }
    }

    private void startSending() {
        long periodMicros = Math.round(1_000_000 / load.ratePerUser());
        long phase = load.random().nextLong(periodMicros);
        long delay = load.window().millisUntilLeadStart() * 1000 + phase;
        sender = channel.eventLoop().scheduleAtFixedRate(this::sendMessage, delay, periodMicros,
                TimeUnit.MICROSECONDS);
    }

    private void sendMessage() {
        if (state != State.JOINED || !load.window().sending()) {
            sender.cancel(false);
            return;
        }
        int ackId = nextAckId++;
        int slot = ackId & (PENDING_SLOTS - 1);
        if (pendingSentAt[slot] != 0) {
            load.ledger().ackFailed();
        }
        long now = load.micros();
        pendingAckId[slot] = ackId;
        pendingSentAt[slot] = now;
        ByteBuf buf = channel.alloc().buffer(messageHead.length + cidHead.length + load.textLength() + 32);
        buf.writeByte('4').writeByte('2');
        writeNumber(buf, ackId);
        buf.writeBytes(messageHead);
        int textStart = buf.writerIndex();
        writeNumber(buf, now);
        buf.writeByte(' ');
        while (buf.writerIndex() - textStart < load.textLength()) {
            buf.writeByte('x');
        }
        buf.writeBytes(cidHead);
        writeNumber(buf, ++sent);
        buf.writeBytes(MESSAGE_TAIL);
        load.ledger().sent();
        channel.writeAndFlush(new TextWebSocketFrame(buf), channel.voidPromise());
    }

    /** Ends the user once the run is over: acks still awaited count as failed. */
    void finish() {
        if (sender != null) {
            sender.cancel(false);
        }
        for (int slot = 0; slot < PENDING_SLOTS; slot++) {
            if (pendingSentAt[slot] != 0) {
                pendingSentAt[slot] = 0;
                load.ledger().ackFailed();
            }
        }
        state = State.FINISHED;
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.JOINED && state != State.FINISHED) {
            fail("closed before joining");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }

    private void failUnlessJoined() {
        if (state == State.OPENING || state == State.CONNECTING || state == State.JOINING) {
            fail("no join within " + load.handshakeTimeout());
        }
    }

    private void fail(String why) {
        if (state == State.FAILED || state == State.FINISHED) {
            return;
        }
        boolean joined = state == State.JOINED;
        state = State.FAILED;
        load.reportFailure(index, joined, why);
        channel.close();
    }

    private void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    /** Writes a non-negative number's decimal digits without making a string of it. */
    private static void writeNumber(ByteBuf buf, long value) {
        if (value >= 10) {
            writeNumber(buf, value / 10);
        }
        buf.writeByte((int) ('0' + value % 10));
    }
}
