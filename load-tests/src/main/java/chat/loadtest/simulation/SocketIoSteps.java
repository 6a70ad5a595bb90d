package chat.loadtest.simulation;

import chat.loadtest.socketio.SocketIoFrames;

import java.time.Duration;
import java.util.function.BiConsumer;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.ws;

/**
 * The Gatling steps of the Socket.IO handshake and events, shared by the simulations. Each reads its frame from
 * the session ({@code endpoint}, {@code connectFrame}, {@code joinFrame}, {@code frame}) and awaits the server's
 * answer, so Gatling times it and counts a missing or error answer as KO.
 */
final class SocketIoSteps {

    private SocketIoSteps() {
    }

    /** WebSocket upgrade, the Engine.IO open packet, then CONNECT with the user's token. */
    static ChainBuilder connect(Duration timeout) {
        return exec(ws("connect").connect("#{endpoint}").await(timeout).on(
                ws.checkTextMessage("open").check(regex("^0\\{").exists())))
                .exitHereIfFailed()
                .exec(ws("CONNECT").sendText("#{connectFrame}").await(timeout).on(
                        ws.checkTextMessage("CONNECT").matching(regex("^4[04]"))
                                .check(regex("^40\\{\"sid\"").exists())));
    }

    static ChainBuilder join(Duration timeout) {
        return exec(ws("join").sendText("#{joinFrame}").await(timeout).on(
                ws.checkTextMessage("join ack").matching(regex(SocketIoFrames.ackPattern(SocketIoFrames.JOIN_ACK_ID)))
                        .check(substring("\"ok\":true").exists(), regex("\"seq\":(\\d+)").saveAs("joinSeq"))));
    }

    /**
     * Sends the session's {@code frame} and awaits the ack with its {@code ackId}. Gatling drops the frames that do
     * not match a pending check, so every frame that arrives meanwhile is handed to {@code others} first.
     */
    static ChainBuilder message(Duration timeout, BiConsumer<String, Session> others) {
        return exec(ws("message").sendText("#{frame}").await(timeout).on(
                ws.checkTextMessage("message ack")
                        .matching(bodyString().transformWithSession((frame, session) -> {
                            if (frame.startsWith("43" + session.getInt("ackId") + "[")) {
                                return true;
                            }
                            others.accept(frame, session);
                            return false;
                        }).is(true))
                        .check(substring("\"ok\":true").exists(), regex("\"seq\":(\\d+)").saveAs("ackSeq"))));
    }
}
