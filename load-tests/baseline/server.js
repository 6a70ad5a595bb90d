// The baseline the load tests compare chat nodes with: the same events as docs/PROTOCOL.md (join, leave, message)
// written the usual Socket.IO way: a Redis adapter fans messages out between nodes, Redis INCR numbers them,
// kafkajs stores them in the same topic, and the sender gets its ack once Kafka has the message.
// GET /stats counts the pub/sub frames this node received from Redis, the cost a Redis adapter puts on each node.
//
// Environment:
//   PORT               HTTP and Socket.IO port (default 3000)
//   NODE_ID            this node's name in logs and /stats (default baseline-<pid>)
//   REDIS_URL          the Redis 7 of the adapter and the room sequences (default redis://127.0.0.1:6379)
//   ADAPTER            classic (default): @socket.io/redis-adapter's createAdapter, every node receives every
//                      message; sharded: its createShardedAdapter in dynamic mode (Redis 7 sharded pub/sub, a
//                      channel per room), a node receives only the rooms it has sockets in
//   KAFKA_BOOTSTRAP    Kafka brokers, comma-separated (default 127.0.0.1:9092)
//   KAFKA_TOPIC        the messages' topic (default chat.messages)
//   AUTH_SECRET        HS256 secret of the JWTs (required)
//   EXIT_WITH_PARENT   true: stop when standard input closes
"use strict";

const http = require("node:http");
const crypto = require("node:crypto");
const { Server } = require("socket.io");
const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");
const { Kafka, logLevel } = require("kafkajs");

const port = Number(process.env.PORT || 3000);
const nodeId = process.env.NODE_ID || "baseline-" + process.pid;
const secret = required("AUTH_SECRET");
const topic = process.env.KAFKA_TOPIC || "chat.messages";
const ROOM = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_TEXT = 4000;

const ADAPTERS = new Map([
  ["classic", (pub, sub) => createAdapter(pub, sub)],
  // "dynamic": a SSUBSCRIBE per room with sockets on this node, so a broadcast to a room reaches only the nodes that
  // hold its members (a broadcast to a socket id, or one that waits for acks, still goes to every node).
  ["sharded", (pub, sub) => createShardedAdapter(pub, sub, { subscriptionMode: "dynamic" })],
]);
const adapterName = process.env.ADAPTER || "classic";
if (!ADAPTERS.has(adapterName)) {
  console.error(`ADAPTER must be one of ${[...ADAPTERS.keys()].join(", ")}, got "${adapterName}"`);
  process.exit(2);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
}

// HS256 JWT verification, as the chat nodes do it: signature, then exp, then a user id in sub.
function verifyToken(token) {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) return null;
  const expected = crypto.createHmac("sha256", secret).update(parts[0] + "." + parts[1]).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  let claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return null;
  if (typeof claims.sub !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(claims.sub)) return null;
  return { user: claims.sub, name: typeof claims.name === "string" ? claims.name : null };
}

// Counts every pub/sub message (message, pmessage or smessage, whatever its channel) the subscriber connection
// delivers. node-redis emits no event per message, so each listener subscribed through the client is wrapped, once,
// so that unsubscribing with the original still finds it; the adapter has one listener per channel or pattern, so
// one call is one frame.
function countFrames(subscriber) {
  let received = 0;
  const wrapped = new WeakMap();
  const counting = (listener) => {
    if (typeof listener !== "function") return listener;
    if (!wrapped.has(listener)) {
      wrapped.set(listener, (...args) => {
        received++;
        return listener(...args);
      });
    }
    return wrapped.get(listener);
  };
  for (const [subscribe, unsubscribe] of [["subscribe", "unsubscribe"], ["pSubscribe", "pUnsubscribe"],
    ["sSubscribe", "sUnsubscribe"]]) {
    const add = subscriber[subscribe].bind(subscriber);
    const remove = subscriber[unsubscribe].bind(subscriber);
    subscriber[subscribe] = (channels, listener, bufferMode) => add(channels, counting(listener), bufferMode);
    subscriber[unsubscribe] = (channels, listener, bufferMode) =>
      remove(channels, (listener && wrapped.get(listener)) || listener, bufferMode);
  }
  return () => received;
}

function error(code, message) {
  return { ok: false, error: { code, message } };
}

// A time-ordered id like the nodes' UUIDv7: 48 bits of milliseconds, then random bits.
function messageId() {
  const bytes = crypto.randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function main() {
  const pub = createClient({ url: process.env.REDIS_URL || "redis://127.0.0.1:6379" });
  const sub = pub.duplicate();
  const commands = pub.duplicate();
  const framesReceived = countFrames(sub);
  for (const client of [pub, sub, commands]) {
    client.on("error", (e) => console.error(`[${nodeId}] redis: ${e.message}`));
  }
  await Promise.all([pub.connect(), sub.connect(), commands.connect()]);

  const kafka = new Kafka({
    clientId: "baseline-" + nodeId,
    brokers: (process.env.KAFKA_BOOTSTRAP || "127.0.0.1:9092").split(","),
    logLevel: logLevel.ERROR,
  });
  await ensureTopic(kafka);
  // acks=-1 like the nodes; not kafkajs's experimental idempotent mode, which allows one request in flight and so
  // would cap the baseline at one produce round trip per message.
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();

  const server = http.createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "UP", node: nodeId }));
      return;
    }
    if (req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ node: nodeId, adapter: adapterName, redisFramesReceived: framesReceived() }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  const io = new Server(server, {
    transports: ["websocket"],
    pingInterval: 25000,
    pingTimeout: 20000,
    maxHttpBufferSize: 1e6,
    serveClient: false,
  });
  io.adapter(ADAPTERS.get(adapterName)(pub, sub));

  io.use((socket, next) => {
    const identity = verifyToken(socket.handshake.auth && socket.handshake.auth.token);
    if (!identity) return next(new Error("unauthorized"));
    socket.data.user = identity.user;
    socket.data.name = identity.name;
    next();
  });

  io.on("connection", (socket) => {
    socket.on("join", async (body, ack) => {
      const room = body && body.room;
      if (typeof ack !== "function") return;
      if (typeof room !== "string" || !ROOM.test(room)) return ack(error("bad_request", "invalid room"));
      try {
        socket.join(room);
        const latest = Number((await commands.get("seq:" + room)) || 0);
        ack({ ok: true, room, seq: latest, missed: [], more: false });
      } catch (e) {
        ack(error("unavailable", e.message));
      }
    });

    socket.on("leave", (body, ack) => {
      const room = body && body.room;
      if (typeof room === "string") socket.leave(room);
      if (typeof ack === "function") ack({ ok: true });
    });

    socket.on("message", async (body, ack) => {
      if (typeof ack !== "function") return;
      const room = body && body.room;
      const text = body && body.text;
      const cid = body && typeof body.cid === "string" ? body.cid : null;
      if (typeof room !== "string" || !socket.rooms.has(room)) return ack(error("forbidden", "join the room first"));
      if (typeof text !== "string" || text.length === 0) return ack(error("bad_request", "'text' must be a string"));
      if (text.length > MAX_TEXT) return ack(error("too_large", "'text' is too long"));
      try {
        const seq = await commands.incr("seq:" + room);
        const message = { id: messageId(), room, seq, from: socket.data.user, text, ts: Date.now(), cid };
        io.to(room).emit("message", message);
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: room, value: JSON.stringify({ message, senderName: socket.data.name }) }],
        });
        ack({ ok: true, id: message.id, seq, ts: message.ts });
      } catch (e) {
        ack(error("unavailable", e.message));
      }
    });
  });

  server.listen(port, "127.0.0.1", () =>
    console.log(`[${nodeId}] Socket.IO baseline (${adapterName} adapter) listening on ${port}`));
  const stop = async () => {
    io.close();
    await producer.disconnect().catch(() => {});
    await Promise.all([pub.quit(), sub.quit(), commands.quit()]).catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.env.EXIT_WITH_PARENT === "true") {
    // Standard input is a pipe from the process that started this one: it closes when that process ends, however.
    process.stdin.on("end", stop);
    process.stdin.resume();
  }
}

// The chat nodes create the topic too; whichever starts first makes it, with the same 12 partitions.
async function ensureTopic(kafka) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 12, replicationFactor: 1 }] });
    }
  } finally {
    await admin.disconnect();
  }
}

main().catch((e) => {
  console.error(`[${nodeId}] failed to start: ${e.stack || e}`);
  process.exit(1);
});
