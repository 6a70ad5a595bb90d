'use strict';
/**
 * Socket.IO's connection state recovery with socket.io-client as it comes (nothing to turn on in the client: the
 * server's pid drives it). A client on one node loses its transport without asking to disconnect, misses messages
 * while it is away, and reconnects to the other node (as a load balancer may send it). Within the server's window
 * `socket.recovered` is true, it is in its room without joining again, and the messages it missed arrive once each,
 * in seq order, before the live ones; after the window it is a new session.
 *
 * Input: {"urls": [firstNode, otherNode], "room", "users": [recovering, sender], "tokens": [jwt, jwt],
 *         "missed": n, "reconnectAfterMs": ms}
 * Result: {"recovered", "sidKept", "received": [{text, seq, offset}...]} (received: every message event, in order)
 */
const { io } = require('socket.io-client');
const { run, open, connected, succeed } = require('./scenario');

const SETTLE_MS = 1000;

run(async ({ urls, room, users, tokens, missed, reconnectAfterMs }) => {
  const [ann, bob] = users;
  const sender = open(urls[1], tokens[1], { transports: ['websocket'] }).socket;
  await connected(sender, `${bob} on ${urls[1]}`);
  await succeed(sender, 'join', { room });

  const socket = io(urls[0], {
    auth: { token: tokens[0] },
    transports: ['websocket'],
    reconnectionDelay: reconnectAfterMs,
    randomizationFactor: 0,
  });
  await connected(socket, `${ann} on ${urls[0]}`);
  const firstId = socket.id;
  const received = [];
  socket.on('message', (message, offset) => received.push({ text: message.text, seq: message.seq, offset }));
  await succeed(socket, 'join', { room });
  for (const text of ['before 1', 'before 2']) {
    await succeed(sender, 'message', { room, text, cid: text });
  }
  await until(() => received.length === 2, `${ann} receiving the first two messages`);

  // The reconnection goes to the other node; closing the Engine.IO socket is a lost transport, not a disconnect.
  socket.io.uri = urls[1];
  const back = connected(socket, `${ann} reconnecting to ${urls[1]}`);
  socket.io.engine.close();
  for (let i = 1; i <= missed; i++) {
    await succeed(sender, 'message', { room, text: `missed ${i}`, cid: `missed ${i}` });
  }
  await back;
  const result = { recovered: socket.recovered, sidKept: socket.id === firstId, received };

  await succeed(sender, 'message', { room, text: 'live', cid: 'live' });
  if (socket.recovered) {
    await until(() => received.some((m) => m.text === 'live'), `${ann} receiving the live message`);
  }
  // Anything that would come twice or late comes within this.
  await new Promise((resolve) => { setTimeout(resolve, SETTLE_MS); });
  socket.disconnect();
  sender.disconnect();
  return result;
});

/** Resolves once `condition` holds, checked every 20 ms; rejects after 10 s. */
function until(condition, what) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10000;
    const check = () => {
      if (condition()) {
        resolve();
      } else if (Date.now() > deadline) {
        reject(new Error(`waited 10000 ms for ${what}`));
      } else {
        setTimeout(check, 20);
      }
    };
    check();
  });
}
