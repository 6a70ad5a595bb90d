'use strict';
/**
 * What the scripts of this folder share. A Java test runs one with its input as a JSON argument; the script prints
 * what it saw as one JSON line (exit 0), or its error (exit 1). Every wait has a deadline, so a script that waits
 * for something that never comes says what it waited for instead of hanging.
 */
const { io } = require('socket.io-client');

const WAIT_MS = 10000;

/** Runs the scenario with the test's input and prints its result. */
function run(scenario) {
  const input = JSON.parse(process.argv[2]);
  scenario(input).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}

/**
 * A socket.io-client session that records how its Engine.IO transport changes: the transport it opened on and
 * each upgrade. The listeners are on before the first packet, so no upgrade goes unseen.
 */
function open(url, token, options = {}) {
  const socket = io(url, { ...options, auth: { token }, reconnection: false });
  const engine = socket.io.engine;
  const seen = { opened: null, upgrades: [] };
  engine.on('open', () => { seen.opened = engine.transport.name; });
  engine.on('upgrade', (transport) => { seen.upgrades.push(transport.name); });
  return {
    socket,
    /** The transport it opened on, the ones it upgraded to, the one it runs on now, and its Engine.IO id. */
    transports: () => ({ opened: seen.opened, upgrades: seen.upgrades, now: engine.transport.name, sid: engine.id }),
    upgraded: () => (seen.upgrades.length > 0 ? Promise.resolve()
      : next(engine, 'upgrade', `an upgrade of ${url} from ${engine.transport.name}`).then(() => undefined)),
  };
}

/** Resolves once the socket is connected to namespace `/`; rejects with the server's reason if refused. */
function connected(socket, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not connected within ${WAIT_MS} ms`)), WAIT_MS);
    socket.once('connect', () => { clearTimeout(timer); resolve(); });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      const detail = error.description === undefined ? '' : ` (${JSON.stringify(error.description)})`;
      reject(new Error(`${what} could not connect: ${error.message}${detail}`));
    });
  });
}

/** Emits an event and resolves with its ack. */
function call(socket, event, payload) {
  return socket.timeout(WAIT_MS).emitWithAck(event, payload);
}

/** Emits an event and fails unless its ack says ok. */
async function succeed(socket, event, payload) {
  const ack = await call(socket, event, payload);
  if (!ack || !ack.ok) {
    throw new Error(`${event} ${JSON.stringify(payload)} refused: ${JSON.stringify(ack)}`);
  }
  return ack;
}

/** The first event of that name (its first argument) that matches. */
function next(emitter, event, what, matching = () => true) {
  return collect(emitter, event, 1, what, matching).then((found) => found[0]);
}

/** The first `count` events of that name (their first arguments) that match, in arrival order. */
function collect(emitter, event, count, what, matching = () => true) {
  return new Promise((resolve, reject) => {
    const found = [];
    const listener = (payload) => {
      if (matching(payload)) {
        found.push(payload);
        if (found.length === count) {
          clearTimeout(timer);
          emitter.off(event, listener);
          resolve(found);
        }
      }
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`waited ${WAIT_MS} ms for ${count} × ${what}, got ${found.length}: ${JSON.stringify(found)}`));
    }, WAIT_MS);
    emitter.on(event, listener);
  });
}

module.exports = { run, open, connected, call, succeed, next, collect };
