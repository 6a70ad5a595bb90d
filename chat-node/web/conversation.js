import { el } from './dom.js';

const NEAR_TOP_PX = 60;
const NEAR_BOTTOM_PX = 80;

/**
 * One room (or direct conversation) on screen: its messages in seq order, each shown once however often it arrives
 * (live, in a join's `missed`, in a history page, in a send's ack), with earlier pages loaded on demand.
 */
export class Conversation {
  /**
   * @param room          the room name (dm:<x>:<y> for a direct conversation)
   * @param title         what people read: #room or @user
   * @param me            the signed-in user, whose messages are marked as theirs
   * @param onNeedEarlier called when the reader scrolls to the top or asks for earlier messages
   */
  constructor({ room, title, me, onNeedEarlier }) {
    this.room = room;
    this.title = title;
    this.me = me;
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

  /** Shows a message where its seq puts it; false when it is already shown. */
  add(message) {
    if (this.items.has(message.seq)) {
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

  /** Shows a page of earlier messages (ascending) above the ones on screen, keeping the reader's place. */
  addEarlier(messages) {
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
    return el('li', { className: mine ? 'message mine' : 'message', data: { seq: message.seq, id: message.id } },
      el('p', { className: 'meta' },
        el('span', { className: 'from', text: message.from }),
        ' ',
        el('time', {
          attrs: { datetime: sent.toISOString(), title: sent.toLocaleString() },
          text: sent.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
        })),
      el('p', { className: 'text', text: message.text }));
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
