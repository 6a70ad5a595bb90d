package chat.node.cluster;

import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The official Java client, unchanged, against two nodes. */
@ExtendWith(ChatStackExtension.class)
class SocketIoJavaClientTest {

    @Test
    void realSocketIoClientsOnTwoNodesJoinSendWithAckAndReceive(TestStack stack) throws Exception {
        String room = stack.uniqueName("java");
        try (TestCluster cluster = TestCluster.of(stack, 2)) {
            Socket alice = connect(cluster.port(0), cluster.token("alice"));
            Socket bob = connect(cluster.port(1), cluster.token("bob"));
            try {
                CompletableFuture<JSONObject> received = new CompletableFuture<>();
                bob.on("message", args -> received.complete((JSONObject) args[0]));
                assertThat(emit(bob, "join", new JSONObject(Map.of("room", room))).getBoolean("ok"), is(true));
                assertThat(emit(alice, "join", new JSONObject(Map.of("room", room))).getBoolean("ok"), is(true));

                JSONObject ack = emit(alice, "message", new JSONObject(Map.of("room", room, "text", "hi bob",
                        "cid", "java-1")));
                assertThat(ack.toString(), ack.getBoolean("ok"), is(true));
                assertThat(ack.getLong("seq"), greaterThan(0L));

                JSONObject message = received.get(10, TimeUnit.SECONDS);
                assertThat(message.getString("text"), is("hi bob"));
                assertThat(message.getString("from"), is("alice"));
                assertThat(message.getString("id"), is(ack.getString("id")));
                assertThat(message.getLong("seq"), is(ack.getLong("seq")));
                assertThat(message.getString("cid"), is("java-1"));
            } finally {
                alice.close();
                bob.close();
            }
        }
    }

    @Test
    void realClientWithABadTokenGetsConnectError(TestStack stack) throws Exception {
        try (TestCluster cluster = TestCluster.of(stack, 1)) {
            IO.Options options = IO.Options.builder().setTransports(new String[] {"websocket"})
                    .setAuth(Map.of("token", "not-a-jwt")).setReconnection(false).build();
            Socket socket = IO.socket(URI.create("http://127.0.0.1:" + cluster.port(0)), options);
            CompletableFuture<Object> error = new CompletableFuture<>();
            socket.on(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
            socket.connect();
            try {
                Object reason = error.get(10, TimeUnit.SECONDS);
                assertThat(String.valueOf(reason).contains("unauthorized"), is(true));
            } finally {
                socket.close();
            }
        }
    }

    private static Socket connect(int port, String token) throws Exception {
        IO.Options options = IO.Options.builder().setTransports(new String[] {"websocket"})
                .setAuth(Map.of("token", token)).build();
        Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.on(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new AssertionError("connect error: " + args[0])));
        socket.connect();
        connected.get(10, TimeUnit.SECONDS);
        return socket;
    }

    private static JSONObject emit(Socket socket, String event, JSONObject payload) throws Exception {
        CompletableFuture<JSONObject> ack = new CompletableFuture<>();
        socket.emit(event, new Object[] {payload}, (Ack) args -> ack.complete((JSONObject) args[0]));
        return ack.get(10, TimeUnit.SECONDS);
    }
}
