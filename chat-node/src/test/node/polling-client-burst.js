'use strict';
/**
 * A socket.io-client that may only long-poll sends a burst of messages, all at once, each with an ack, to a room it
 * shares with a WebSocket-only client on another node, and receives what that client writes back while it polls.
 *
 * Input: {"urls": [pollingClientNode, webSocketClientNode], "room", "users": [name, name], "tokens": [jwt, jwt],
 *         "burst": n, "replies": n}
 * Result: {"transports": {...}, "acks": [ack per message, in sending order],
 *          "received": {<polling user>: [replies], <WebSocket user>: [burst messages]}}
 */
const { run, open, connected, succeed, collect } = require('./scenario');

run(async ({ urls, room, users, tokens, burst, replies }) => {
  const [ann, bob] = users;
  const bobSession = open(urls[1], tokens[1], { transports: ['websocket'] });
  await connected(bobSession.socket, `${bob} on ${urls[1]} over WebSocket`);
  await succeed(bobSession.socket, 'join', { room });
  const annSession = open(urls[0], tokens[0], { transports: ['polling'] });
  await connected(annSession.socket, `${ann} on ${urls[0]} over long-polling`);
  await succeed(annSession.socket, 'join', { room });

  const atBob = collect(bobSession.socket, 'message', burst, `a message from ${ann}`, (m) => m.from === ann);
  const sent = [];
  for (let i = 1; i <= burst; i++) {
    sent.push(succeed(annSession.socket, 'message', { room, text: `burst ${i}`, cid: `burst-${i}` }));
  }
  const acks = await Promise.all(sent);
  const burstAtBob = await atBob;

  // Pushes to a client without a WebSocket: each one is the answer to the GET request it keeps pending.
  const atAnn = collect(annSession.socket, 'message', replies, `a reply from ${bob}`, (m) => m.from === bob);
  for (let i = 1; i <= replies; i++) {
    await succeed(bobSession.socket, 'message', { room, text: `reply ${i}`, cid: `reply-${i}` });
  }
  const repliesAtAnn = await atAnn;

  const transports = annSession.transports();
  annSession.socket.disconnect();
  bobSession.socket.disconnect();
  return { transports, acks, received: { [ann]: repliesAtAnn, [bob]: burstAtBob } };
});
