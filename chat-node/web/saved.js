/**
 * What the page keeps in sessionStorage, so a reload or a visit elsewhere and back in the same tab resumes where it
 * left off: the token, and per user the open rooms with the highest seq seen in each (the `since` of the next join).
 */
const TOKEN_KEY = 'chat.token';

export const savedToken = {
  get: () => read(TOKEN_KEY),
  set: (token) => write(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** The rooms of one user, in the order they were opened, and which one was on screen. */
export class SavedRooms {
  constructor(user) {
    this.key = `chat.rooms.${user}`;
    this.state = { rooms: [], lastSeq: {}, open: null, ...parse(read(this.key)) };
  }

  rooms() {
    return [...this.state.rooms];
  }

  add(room) {
    if (!this.state.rooms.includes(room)) {
      this.state.rooms.push(room);
      this.save();
    }
  }

  remove(room) {
    this.state.rooms = this.state.rooms.filter((r) => r !== room);
    delete this.state.lastSeq[room];
    if (this.state.open === room) {
      this.state.open = null;
    }
    this.save();
  }

  /** The highest seq seen in the room, or null when none was. */
  lastSeq(room) {
    return this.state.lastSeq[room] ?? null;
  }

  sawSeq(room, seq) {
    if (seq > (this.state.lastSeq[room] ?? 0)) {
      this.state.lastSeq[room] = seq;
      this.save();
    }
  }

  open() {
    return this.state.open;
  }

  setOpen(room) {
    this.state.open = room;
    this.save();
  }

  save() {
    write(this.key, JSON.stringify(this.state));
  }
}

function parse(json) {
  try {
    return JSON.parse(json ?? 'null');
  } catch (error) {
    console.warn('ignoring unreadable saved rooms', error);
    return null;
  }
}

function read(key) {
  try {
    return sessionStorage.getItem(key);
  } catch (error) {
    console.warn('sessionStorage is unavailable; nothing survives a reload', error);
    return null;
  }
}

function write(key, value) {
  try {
    sessionStorage.setItem(key, value);
  } catch (error) {
    console.warn('sessionStorage is unavailable; nothing survives a reload', error);
  }
}
