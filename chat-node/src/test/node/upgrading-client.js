'use strict';
/**
 * A socket.io-client with its default options (long-polling first, then an upgrade to a WebSocket) on one node
 * chats with a WebSocket-only client on another node.
 *
 * Input: {"urls": [defaultClientNode, webSocketClientNode], "room", "users": [name, name], "tokens": [jwt, jwt]}
 * Result: {"transports": {opened, upgrades, now, sid}, "received": {<user>: message from the other user}}
 */
const { run, open, connected, succeed, next } = require('./scenario');

run(async ({ urls, room, users, tokens }) => {
  const [ann, bob] = users;
  const bobSession = open(urls[1], tokens[1], { transports: ['websocket'] });
  await connected(bobSession.socket, `${bob} on ${urls[1]} over WebSocket`);
  await succeed(bobSession.socket, 'join', { room });

  const annSession = open(urls[0], tokens[0]);
  await connected(annSession.socket, `${ann} on ${urls[0]} with default options`);
  await annSession.upgraded();
  await succeed(annSession.socket, 'join', { room });

  const toBob = next(bobSession.socket, 'message', `a message from ${ann}`, (m) => m.from === ann);
  await succeed(annSession.socket, 'message', { room, text: `hello ${bob}`, cid: 'hello' });
  const atBob = await toBob;
  const toAnn = next(annSession.socket, 'message', `a message from ${bob}`, (m) => m.from === bob);
  await succeed(bobSession.socket, 'message', { room, text: `hi ${ann}`, cid: 'hi' });
  const atAnn = await toAnn;

  const transports = annSession.transports();
  annSession.socket.disconnect();
  bobSession.socket.disconnect();
  return { transports, received: { [ann]: atAnn, [bob]: atBob } };
});
