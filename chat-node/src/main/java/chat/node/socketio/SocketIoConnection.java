package chat.node.socketio;

import chat.node.engineio.EngineSession;
import chat.node.engineio.MalformedPacketException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.concurrent.ScheduledFuture;

/**
 * One Socket.IO v5 connection on an Engine.IO session: the root namespace's CONNECT with its deadline, events and
 * their acks, DISCONNECT. The application behind {@link SocketHandler} sees decoded events and sends whole packets.
 */
public final class SocketIoConnection implements EngineSession.Handler, Connection {
    private final EngineSession session;
    private final ObjectMapper json;
    private final SocketHandler handler;
    private final ScheduledFuture<?> connectDeadline;
    private volatile String socketId;
    private volatile String pid;

    SocketIoConnection(EngineSession session, SocketIoServer server) {
        this.session = session;
        this.json = server.json();
        this.handler = server.handlerFor(this);
        this.connectDeadline = server.deadline(() -> {
            if (socketId == null) {
                close("connect_timeout");
            }
        });
    }

    @Override
    public boolean send(String packet) {
        return session.send(packet);
    }

    @Override
    public void close(String reason) {
        session.close(reason);
    }

    @Override
    public long sentCount() {
        return session.sentCount();
    }

    @Override
    public long receivedCount() {
        return session.receivedCount();
    }

    @Override
    public void onMessage(String data) throws MalformedPacketException {
        Packet packet = SocketIoCodec.decode(data);
        if (!Packet.ROOT_NAMESPACE.equals(packet.namespace())) {
            if (packet.type() == PacketType.CONNECT) {
                send(SocketIoCodec.connectError(packet.namespace(), "\"Invalid namespace\""));
            }
            return;
        }
        Ack ack = new Ack(packet.ackId());
        switch (packet.type()) {
            case CONNECT -> connect(packet.data());
            case DISCONNECT -> close("client_disconnect");
            case EVENT -> event(packet.data(), ack);
            case BINARY_EVENT, BINARY_ACK -> {
                if (ack.wanted()) {
                    handler.onRefused(SocketHandler.Refusal.BINARY, ack);
                }
            }
            case ACK -> {
                // The server never asks clients for acks; a stray one is harmless.
            }
            case CONNECT_ERROR -> throw new MalformedPacketException("a client cannot send CONNECT_ERROR");
        }
    }

    private void connect(String auth) {
        if (socketId != null) {
            send(SocketIoCodec.connectAccepted(socketId, pid));
            return;
        }
        switch (handler.onConnect(auth)) {
            case Admission.Accepted accepted -> {
                socketId = accepted.socketId();
                pid = accepted.pid();
                connectDeadline.cancel(false);
                send(SocketIoCodec.connectAccepted(socketId, pid));
                accepted.afterAnswer().run();
            }
            case Admission.Refused refused -> send(SocketIoCodec.connectError(Packet.ROOT_NAMESPACE,
                    json.valueToTree(refused.message()).toString()));
        }
    }

    private void event(String data, Ack ack) {
        if (socketId == null) {
            handler.onRefused(SocketHandler.Refusal.NOT_CONNECTED, ack);
            return;
        }
        JsonNode args;
        try {
            args = json.readTree(data);
        } catch (JsonProcessingException e) {
            handler.onRefused(SocketHandler.Refusal.INVALID_JSON, ack);
            return;
        }
        if (!args.isArray() || args.isEmpty() || !args.get(0).isTextual()) {
            handler.onRefused(SocketHandler.Refusal.NOT_AN_EVENT, ack);
            return;
        }
        handler.onEvent(args.get(0).asText(), args.size() > 1 ? args.get(1) : null, ack);
    }

    /** An oversize event that asked for an ack gets a refusal; anything else oversize closes, as Engine.IO does. */
    @Override
    public boolean onOversize(String packet) {
        int pos = 2;
        while (pos < packet.length() && pos < 20 && Character.isDigit(packet.charAt(pos))) {
            pos++;
        }
        if (socketId == null || !packet.startsWith("42") || pos == 2 || pos >= packet.length()
                || packet.charAt(pos) != '[') {
            return false;
        }
        handler.onRefused(SocketHandler.Refusal.TOO_LARGE, new Ack(Long.parseLong(packet, 2, pos, 10)));
        return true;
    }

    @Override
    public void onClose(String reason) {
        connectDeadline.cancel(false);
        handler.onClose(reason);
    }
}
