/**
 * Who is typing where. A `typing` event says someone typed just now; they count as typing for a few seconds, and
 * this page tells others at most once per interval while its own user types.
 */
const SHOWN_FOR_MS = 4000;
const SEND_EVERY_MS = 2500;

export class Typing {
  constructor(onChange) {
    this.onChange = onChange;
    this.rooms = new Map();
    this.lastSent = new Map();
  }

  /** Someone else typed in a room. */
  saw(room, user) {
    const users = this.rooms.get(room) ?? new Map();
    clearTimeout(users.get(user));
    users.set(user, setTimeout(() => this.stopped(room, user), SHOWN_FOR_MS));
    this.rooms.set(room, users);
    this.onChange(room);
  }

  /** Someone's message arrived, so they are done typing it. */
  stopped(room, user) {
    const users = this.rooms.get(room);
    if (users?.has(user)) {
      clearTimeout(users.get(user));
      users.delete(user);
      this.onChange(room);
    }
  }

  /** A sentence for the people typing in the room, or an empty string. */
  describe(room) {
    const users = [...(this.rooms.get(room)?.keys() ?? [])];
    if (users.length === 0) {
      return '';
    }
    if (users.length === 1) {
      return `${users[0]} is typing…`;
    }
    if (users.length <= 3) {
      return `${users.slice(0, -1).join(', ')} and ${users.at(-1)} are typing…`;
    }
    return 'Several people are typing…';
  }

  /** Whether this page should tell the room its user is typing now. */
  shouldAnnounce(room, now = Date.now()) {
    if (now - (this.lastSent.get(room) ?? 0) < SEND_EVERY_MS) {
      return false;
    }
    this.lastSent.set(room, now);
    return true;
  }
}
