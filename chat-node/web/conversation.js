import { el } from './dom.js';

const NEAR_TOP_PX = 60;
const NEAR_BOTTOM_PX = 80;

/**
 * One room (or direct conversation) on screen: its messages in seq order, each shown once however often it arrives
 * (live, in a join's `missed`, in a history page, in a send's ack), as it now stands (edited, or deleted), with
 * earlier pages loaded on demand. The reader's own messages can be edited and deleted in place.
 */
export class Conversation {
  /**
   * @param room          the room name (dm:<x>:<y> for a direct conversation)
   * @param title         what people read: #room or @user
   * @param me            the signed-in user, whose messages are marked as theirs
   * @param onNeedEarlier called when the reader scrolls to the top or asks for earlier messages
   * @param onEdit        (message, text) => Promise of the node's ack, when the reader saves an edit
   * @param onDelete      (message) => Promise of the node's ack, when the reader confirms a deletion
   */
  constructor({ room, title, me, onNeedEarlier, onEdit, onDelete }) {
    this.room = room;
    this.title = title;
    this.me = me;
    this.onEdit = onEdit;
    this.onDelete = onDelete;
    this.items = new Map();
    this.latestSeq = 0;
    this.lowestSeq = null;
    this.beginningReached = false;
    this.loading = false;
    this.stickToBottom = true;
    this.seenUpTo = 0;
    this.seenLabel = el('span', { className: 'seen', text: 'Seen' });

    this.earlierButton = el('button', { type: 'button', className: 'quiet', text: 'Load earlier messages' });
    this.edgeText = el('span', { className: 'edge-text' });
    this.edge = el('p', { className: 'edge' }, this.earlierButton, this.edgeText);
    this.list = el('ol', {
      className: 'messages',
      attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': `Messages in ${title}` },
    });
    this.scroller = el('div', {
      className: 'scroller',
      attrs: { tabindex: '0', role: 'region', 'aria-label': `${title}, newest at the bottom` },
    }, this.edge, this.list);
    this.element = el('section', { className: 'view', hidden: true, data: { room, joined: 'false' } }, this.scroller);

    this.earlierButton.addEventListener('click', () => onNeedEarlier(this));
    this.scroller.addEventListener('scroll', () => {
      this.stickToBottom = this.nearBottom();
      if (this.scroller.scrollTop < NEAR_TOP_PX && this.canLoadEarlier()) {
        onNeedEarlier(this);
      }
    });
  }

  get size() {
    return this.items.size;
  }

  /** Shows a message where its seq puts it; false when it is already shown (then as it now stands). */
  add(message) {
    if (this.items.has(message.seq)) {
      this.update(message);
      return false;
    }
    const stick = this.stickToBottom;
    const item = this.render(message);
    const later = this.firstMessageAfter(message.seq);
    this.list.insertBefore(item, later ? this.startOfRunBefore(later) : null);
    this.remember(message, item);
    this.placeSeen();
    if (stick && !later) {
      this.scrollToBottom();
    }
    return true;
  }

  /**
   * Shows a message as it now stands (an edit or a deletion, live or from a rejoin) where it is on screen; false
   * when it is not shown, or is shown as it stands already.
   */
  update(message) {
    const shown = this.items.get(message.seq);
    const version = changeSeq(message);
    if (!shown || Number(shown.dataset.version) >= version) {
      return false;
    }
    const item = this.render(message);
    shown.replaceWith(item);
    this.items.set(message.seq, item);
    return true;
  }

  /** Shows a page of earlier messages (ascending) above the ones on screen, keeping the reader's place. */
  addEarlier(messages) {
    messages.filter((m) => this.items.has(m.seq)).forEach((m) => this.update(m));
    const fresh = messages.filter((m) => !this.items.has(m.seq)).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) {
      return;
    }
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    const page = document.createDocumentFragment();
    for (const message of fresh) {
      const item = this.render(message);
      page.append(item);
      this.remember(message, item);
    }
    this.list.setAttribute('aria-busy', 'true');
    const first = this.list.querySelector('li.message');
    this.list.insertBefore(page, first ? this.startOfRunBefore(first) : null);
    this.list.setAttribute('aria-busy', 'false');
    this.placeSeen();
    this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  /** How many messages of others are shown with a seq above this one. */
  othersAfter(seq) {
    let count = 0;
    for (const [shown, item] of this.items) {
      if (shown > seq && !item.classList.contains('mine')) {
        count++;
      }
    }
    return count;
  }

  /** The other person read up to this seq: "Seen" goes under the last of the user's messages it covers. */
  showSeen(seq) {
    if (seq > this.seenUpTo) {
      this.seenUpTo = seq;
      this.placeSeen();
    }
  }

  placeSeen() {
    if (this.seenUpTo === 0) {
      return;
    }
    for (let node = this.list.lastElementChild; node; node = node.previousElementSibling) {
      if (node.classList.contains('mine') && Number(node.dataset.seq) <= this.seenUpTo) {
        if (this.seenLabel.parentElement !== node) {
          node.append(this.seenLabel);
        }
        return;
      }
    }
  }

  /** A line that is not a message (someone joined or left), at the bottom. */
  addNotice(text) {
    const stick = this.stickToBottom;
    this.list.append(el('li', { className: 'notice', text }));
    if (stick) {
      this.scrollToBottom();
    }
  }

  /** Marks where the messages that arrived while the reader was away start. */
  markNewFrom(seq, text) {
    this.list.querySelector('li.divider')?.remove();
    const first = this.items.get(seq);
    if (first) {
      this.list.insertBefore(el('li', { className: 'divider', attrs: { role: 'separator' }, text }), first);
    }
  }

  /** Forgets everything shown, when the gap since the last visit is too large to fill. */
  reset() {
    this.seenLabel.remove();
    this.list.replaceChildren();
    this.items.clear();
    this.lowestSeq = null;
    this.beginningReached = false;
    this.showEdge();
  }

  /** Whether the node has this socket in the room: a join was acknowledged since the last connect. */
  setJoined(joined) {
    this.element.dataset.joined = String(joined);
  }

  get joined() {
    return this.element.dataset.joined === 'true';
  }

  canLoadEarlier() {
    return !this.beginningReached && !this.loading;
  }

  /** The `before` of the next history request: the lowest seq shown, or just past the latest. */
  nextBefore() {
    return this.lowestSeq ?? this.latestSeq + 1;
  }

  setLoading(loading) {
    this.loading = loading;
    this.earlierButton.disabled = loading;
    this.earlierButton.textContent = loading ? 'Loading…' : 'Load earlier messages';
  }

  reachedBeginning() {
    this.beginningReached = true;
    this.showEdge();
  }

  showEdgeError(text) {
    this.edgeText.textContent = text;
  }

  show() {
    this.element.hidden = false;
    if (this.stickToBottom) {
      this.scrollToBottom();
    }
  }

  hide() {
    this.element.hidden = true;
  }

  showEdge() {
    this.earlierButton.hidden = this.beginningReached;
    this.edgeText.textContent = this.beginningReached ? `This is the beginning of ${this.title}.` : '';
  }

  render(message) {
    const sent = new Date(message.ts);
    const mine = message.from === this.me;
    const classes = ['message', mine ? 'mine' : '', message.deleted ? 'deleted' : ''].filter(Boolean).join(' ');
    const meta = el('p', { className: 'meta' },
      el('span', { className: 'from', text: message.from }),
      ' ',
      el('time', {
        attrs: { datetime: sent.toISOString(), title: sent.toLocaleString() },
        text: sent.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      }));
    if (message.edited && !message.deleted) {
      const edited = new Date(message.edited.ts);
      meta.append(' ', el('span', { className: 'edited', text: '(edited)', attrs: { title: `Edited ${edited.toLocaleString()}` } }));
    }
    const text = message.deleted
      ? el('p', { className: 'text tombstone', text: message.deleted.by === message.from ? 'Message deleted' : 'Message deleted by a moderator' })
      : el('p', { className: 'text', text: message.text });
    const item = el('li', { className: classes, data: { seq: message.seq, id: message.id, version: changeSeq(message) } }, meta, text);
    if (mine && !message.deleted) {
      meta.append(' ', this.actions(item, message));
    }
    return item;
  }

  /** Edit and Delete for the reader's own message; each asks the node and shows its refusal next to the message. */
  actions(item, message) {
    const edit = el('button', { type: 'button', className: 'quiet action', text: 'Edit', attrs: { 'aria-label': 'Edit your message' } });
    const remove = el('button', { type: 'button', className: 'quiet action', text: 'Delete', attrs: { 'aria-label': 'Delete your message' } });
    edit.addEventListener('click', () => this.startEditing(item, message));
    remove.addEventListener('click', () => this.confirmDeleting(item, message));
    return el('span', { className: 'actions' }, edit, remove);
  }

  startEditing(item, message) {
    const input = el('textarea', { className: 'edit-text', attrs: { rows: '2', 'aria-label': 'Edited message' } });
    input.value = message.text;
    const error = el('p', { className: 'error', attrs: { role: 'alert' } });
    const form = el('form', { className: 'edit-form' }, input,
      el('div', { className: 'row' },
        el('button', { type: 'submit', text: 'Save' }),
        el('button', { type: 'button', className: 'quiet cancel', text: 'Cancel' })),
      error);
    const text = item.querySelector('p.text');
    const cancel = () => form.replaceWith(text);
    form.querySelector('button.cancel').addEventListener('click', cancel);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        cancel();
      } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ack = await this.onEdit(message, input.value);
      if (ack.ok) {
        this.update({ ...message, text: input.value, edited: { seq: ack.seq, ts: ack.ts, by: this.me } });
      } else {
        error.textContent = ack.error.message;
      }
    });
    text.replaceWith(form);
    input.focus();
  }

  confirmDeleting(item, message) {
    const actions = item.querySelector('.actions');
    const error = el('span', { className: 'error', attrs: { role: 'alert' } });
    const yes = el('button', { type: 'button', className: 'quiet action confirm-delete', text: 'Delete for everyone' });
    const keep = el('button', { type: 'button', className: 'quiet action', text: 'Keep' });
    const question = el('span', { className: 'actions' }, 'Delete this message?', ' ', yes, keep, error);
    keep.addEventListener('click', () => question.replaceWith(actions));
    yes.addEventListener('click', async () => {
      const ack = await this.onDelete(message);
      if (ack.ok) {
        this.update({ ...message, text: '', cid: null, deleted: { seq: ack.seq, ts: ack.ts, by: this.me } });
      } else {
        error.textContent = ack.error.message;
      }
    });
    actions.replaceWith(question);
    yes.focus();
  }

  remember(message, item) {
    this.items.set(message.seq, item);
    this.latestSeq = Math.max(this.latestSeq, message.seq);
    this.lowestSeq = this.lowestSeq === null ? message.seq : Math.min(this.lowestSeq, message.seq);
    if (this.lowestSeq <= 1) {
      this.reachedBeginning();
    }
  }

  /** The first message shown with a higher seq, searching from the bottom where new ones mostly land. */
  firstMessageAfter(seq) {
    let found = null;
    for (let node = this.list.lastElementChild; node; node = node.previousElementSibling) {
      if (node.classList.contains('message')) {
        if (Number(node.dataset.seq) < seq) {
          break;
        }
        found = node;
      }
    }
    return found;
  }

  /** The notices and divider just above a message belong with it: what goes before it goes before them. */
  startOfRunBefore(message) {
    let start = message;
    while (start.previousElementSibling && !start.previousElementSibling.classList.contains('message')) {
      start = start.previousElementSibling;
    }
    return start;
  }

  nearBottom() {
    const { scrollHeight, scrollTop, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

/** The seq of the change that made a message what it is (its latest edit, or its deletion); 0 if none. */
export function changeSeq(message) {
  return (message.deleted ?? message.edited)?.seq ?? 0;
}
