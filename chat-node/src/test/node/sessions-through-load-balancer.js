'use strict';
/**
 * socket.io-client sessions with default options (long-polling, then an upgrade to a WebSocket) through a load
 * balancer, each from a source address of its own so that address-based stickiness can tell them apart. Once all
 * have upgraded they join one room and each says hello; every session must hear every hello.
 *
 * Input: {"url": load balancer, "room", "users": [{"name", "token", "address": local source address}]}
 * Result: {"sessions": [{"name", "address", "transports": {opened, upgrades, now, sid}, "heard": [texts]}]}
 */
const http = require('http');
const { run, open, connected, succeed, collect } = require('./scenario');

run(async ({ url, room, users }) => {
  const sessions = users.map((user) => ({
    user,
    // engine.io-client hands its polling requests only `agent` (whose source address they take), its WebSocket
    // `localAddress` too.
    session: open(url, user.token, {
      agent: new http.Agent({ localAddress: user.address }),
      localAddress: user.address,
    }),
  }));
  await Promise.all(sessions.map(({ user, session }) =>
    connected(session.socket, `${user.name} from ${user.address}`)));
  await Promise.all(sessions.map(({ session }) => session.upgraded()));
  await Promise.all(sessions.map(({ session }) => succeed(session.socket, 'join', { room })));

  const heard = sessions.map(({ user, session }) =>
    collect(session.socket, 'message', users.length, `a hello at ${user.name}`, (m) => m.text.startsWith('hello')));
  await Promise.all(sessions.map(({ user, session }) =>
    succeed(session.socket, 'message', { room, text: `hello from ${user.name}` })));
  const texts = (await Promise.all(heard)).map((messages) => messages.map((m) => m.text));

  const result = sessions.map(({ user, session }, i) => ({
    name: user.name, address: user.address, transports: session.transports(), heard: texts[i],
  }));
  sessions.forEach(({ session }) => session.socket.disconnect());
  return { sessions: result };
});
