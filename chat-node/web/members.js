import { byId, el } from './dom.js';
import { USER, isMembersOnly } from './names.js';

/**
 * The members of the private room or group on screen: who they are, and, for the owner of a private room, a way to
 * add and remove them. A group's members are fixed, so it shows them only.
 */
export class MembersPanel {
  /**
   * @param me      the signed-in user
   * @param request (event, payload) => Promise of the ack
   */
  constructor({ me, request }) {
    this.me = me;
    this.request = request;
    this.room = null;
    this.section = byId('members');
    this.list = byId('member-list');
    this.form = byId('add-member-form');
    this.input = byId('add-member-input');
    this.error = byId('members-error');
    this.abort = new AbortController();
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.add();
    }, { signal: this.abort.signal });
  }

  /** Shows the members of the room, or nothing for a public room or a direct conversation. */
  show(room) {
    this.room = room !== null && isMembersOnly(room) ? room : null;
    this.section.hidden = this.room === null;
    this.list.replaceChildren();
    this.form.hidden = true;
    this.error.textContent = '';
    if (this.room !== null) {
      this.refresh();
    }
  }

  /** The members of a room changed: shown again when it is the one on screen. */
  changed(room) {
    if (room === this.room) {
      this.refresh();
    }
  }

  async refresh() {
    const room = this.room;
    const ack = await this.request('members', { room });
    if (room !== this.room) {
      return;
    }
    if (!ack.ok) {
      this.list.replaceChildren();
      this.form.hidden = true;
      this.error.textContent = ack.error.message;
      return;
    }
    this.error.textContent = '';
    const owns = ack.owner === this.me;
    this.list.replaceChildren(...ack.members.map((user) => this.item(user, ack.owner, owns)));
    this.form.hidden = !owns;
  }

  item(user, owner, owns) {
    const name = el('span', { className: 'member-name', text: user === owner ? `${user} (owner)` : user });
    if (!owns || user === owner) {
      return el('li', { data: { user } }, name);
    }
    const remove = el('button', {
      type: 'button', className: 'quiet remove', text: 'Remove', attrs: { 'aria-label': `Remove ${user}` },
    });
    remove.addEventListener('click', () => this.remove(user));
    return el('li', { data: { user } }, name, ' ', remove);
  }

  async add() {
    const user = this.input.value.trim();
    if (!USER.test(user)) {
      this.error.textContent = 'User ids are letters, digits, dots, dashes and underscores.';
      return;
    }
    this.input.value = '';
    this.answered(await this.request('add_member', { room: this.room, user }));
  }

  async remove(user) {
    this.answered(await this.request('remove_member', { room: this.room, user }));
  }

  answered(ack) {
    if (ack.ok) {
      this.refresh();
    } else {
      this.error.textContent = ack.error.message;
    }
  }

  stop() {
    this.abort.abort();
    this.show(null);
  }
}
