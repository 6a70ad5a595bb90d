import { byId, el } from './dom.js';

/** After a join or a `presence` event, wait this long for others that come with it before asking once for all. */
const SETTLE_MS = 200;
/** Ask at most this often, however busy the rooms: each ask is one `who` and one `online` event. */
const EVERY_MS = 1000;
/** The people shown for the open room: the first page of `who`; the heading still counts everyone. */
const SHOWN = 50;

/**
 * Who is online: the people present in the open conversation (`who`, its first page) and how many are present in
 * each room of the list (`online`). Both are asked again shortly after every join and every `presence` event, so
 * what the page shows is never older than the last arrival or departure it was told of.
 */
export class Online {
  /**
   * @param request  sends an event and resolves with its ack (Connection.request)
   * @param onCounts called with a Map room → people present, after each answer to `online`
   */
  constructor(request, onCounts) {
    this.request = request;
    this.onCounts = onCounts;
    this.counts = new Map();
    this.timer = null;
    this.lastAsked = 0;
    this.rooms = () => ({ listed: [], open: null });
  }

  /**
   * @param rooms returns {listed: rooms whose counts the list shows, open: the room on screen or null}, read when
   *              the page asks, so the question is about what is on screen then
   */
  watch(rooms) {
    this.rooms = rooms;
  }

  /** Someone arrived or left somewhere, or this page joined: ask again once things settle. */
  changed() {
    if (this.timer !== null) {
      return;
    }
    const wait = Math.max(SETTLE_MS, this.lastAsked + EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastAsked = Date.now();
      this.ask();
    }, wait);
  }

  /** Another room is on screen: show its people at once, from the node. */
  opened(room) {
    renderPeople(null);
    if (room !== null) {
      this.askWho(room);
    }
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    renderPeople(null);
  }

  async ask() {
    const { listed, open } = this.rooms();
    if (open !== null) {
      this.askWho(open);
    }
    if (listed.length > 0) {
      const ack = await this.request('online', { rooms: listed });
      if (ack.ok) {
        this.counts = new Map(Object.entries(ack.counts));
        this.onCounts(this.counts);
      }
    }
  }

  async askWho(room) {
    const ack = await this.request('who', { room, limit: SHOWN });
    if (ack.ok && this.rooms().open === room) {
      renderPeople(ack);
    }
  }
}

/** Shows the answer to `who` under the conversation's title; null hides it. */
function renderPeople(ack) {
  const section = byId('online');
  if (ack === null) {
    section.hidden = true;
    byId('online-list').replaceChildren();
    return;
  }
  section.hidden = false;
  byId('online-count').textContent = `${ack.count} online`;
  const people = ack.users.map(({ user, sockets }) => el('li', {
    text: user,
    data: { user, sockets: String(sockets) },
    attrs: sockets > 1 ? { title: `${user} is here on ${sockets} connections` } : {},
  }));
  if (ack.next !== null) {
    people.push(el('li', { className: 'more', text: `and ${ack.count - ack.users.length} more` }));
  }
  byId('online-list').replaceChildren(...people);
}
