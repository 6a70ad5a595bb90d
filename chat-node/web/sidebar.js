import { byId, el } from './dom.js';

/** The lists of rooms and direct conversations, with how many are online and unread, and a way to leave each. */
export class Sidebar {
  constructor({ onOpen, onLeave }) {
    this.onOpen = onOpen;
    this.onLeave = onLeave;
    this.rooms = byId('room-list');
    this.directs = byId('dm-list');
  }

  /**
   * @param entries {room, title, direct, unread, online} in the order they were opened; online is null when not
   *                known
   * @param active  the room on screen, or null
   */
  render(entries, active) {
    const rooms = [];
    const directs = [];
    for (const entry of entries) {
      (entry.direct ? directs : rooms).push(this.item(entry, entry.room === active));
    }
    this.rooms.replaceChildren(...(rooms.length ? rooms : [el('li', { className: 'empty', text: 'No rooms yet.' })]));
    this.directs.replaceChildren(...(directs.length ? directs : [el('li', { className: 'empty', text: 'None yet.' })]));
  }

  clear() {
    this.rooms.replaceChildren();
    this.directs.replaceChildren();
  }

  item({ room, title, unread, online }, current) {
    const open = el('button', { type: 'button', className: 'open', data: { room } },
      el('span', { className: 'name', text: title }));
    if (current) {
      open.setAttribute('aria-current', 'true');
    }
    if (online !== null) {
      open.append(el('span', { className: 'online-count', data: { online: String(online) } },
        String(online), el('span', { className: 'visually-hidden', text: ' online' })));
    }
    if (unread > 0) {
      open.append(el('span', { className: 'unread' },
        String(unread), el('span', { className: 'visually-hidden', text: ' unread' })));
    }
    open.addEventListener('click', () => this.onOpen(room));
    const leave = el('button', {
      type: 'button', className: 'leave quiet', text: '×', attrs: { 'aria-label': `Leave ${title}`, title: `Leave ${title}` },
    });
    leave.addEventListener('click', () => this.onLeave(room));
    return el('li', { className: current ? 'current' : '' }, open, leave);
  }
}
