/**
 * The Socket.IO connection to the node that served this page. socket.io-client reconnects by itself; every
 * `connect` (the first and each one after a drop) calls onConnect, where the page rejoins its rooms.
 */
const ACK_TIMEOUT_MS = 10000;
const OFFLINE = { ok: false, error: { code: 'offline', message: 'Not connected. Wait until the connection is back, then try again.' } };
const TIMED_OUT = { ok: false, error: { code: 'timeout', message: 'The node did not answer in time. Try again.' } };

export class Connection {
  /**
   * @param token    the JWT sent in the CONNECT packet
   * @param handlers onStatus(state, text), onConnect(), onRefused(reason), and events: {name: handler}
   */
  constructor(token, { onStatus, onConnect, onRefused, events }) {
    this.socket = window.io({ auth: { token }, reconnectionDelayMax: 5000 });
    this.socket.on('connect', () => {
      onStatus('online', 'Connected');
      onConnect();
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') {
        onStatus('offline', 'Disconnected');
      } else {
        onStatus('reconnecting', 'Connection lost, reconnecting…');
      }
    });
    this.socket.on('connect_error', (error) => {
      if (this.socket.active) {
        onStatus('reconnecting', 'Cannot reach the node, retrying…');
      } else {
        onStatus('offline', 'Refused');
        onRefused(error.message);
      }
    });
    this.socket.io.on('reconnect_attempt', (attempt) => {
      onStatus('reconnecting', `Reconnecting (attempt ${attempt})…`);
    });
    for (const [name, handler] of Object.entries(events)) {
      this.socket.on(name, handler);
    }
  }

  /**
   * Emits an event and resolves with its ack; a failure resolves too, with an error ack, so callers handle one
   * shape. Nothing is queued while offline: a queued message would reach the node before the rejoin and be refused.
   */
  request(event, payload) {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve(OFFLINE);
        return;
      }
      this.socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (timedOut, ack) => {
        resolve(timedOut ? TIMED_OUT : ack);
      });
    });
  }

  /** Emits an event without an ack that is worthless later (typing), so it is dropped while offline. */
  notify(event, payload) {
    this.socket.volatile.emit(event, payload);
  }

  close() {
    this.socket.disconnect();
  }
}
