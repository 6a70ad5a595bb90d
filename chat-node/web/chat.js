import { byId } from './dom.js';
import { Connection } from './connection.js';
import { Conversation, changeSeq } from './conversation.js';
import { MembersPanel } from './members.js';
import { PUBLIC_ROOM, USER, directRoom, isDirectRoom, peerOf, privateRoom, titleOf } from './names.js';
import { Online } from './online.js';
import { SavedRooms } from './saved.js';
import { Sidebar } from './sidebar.js';
import { Typing } from './typing.js';

const PAGE = 50;
const FILL_BELOW = 30;
const QUIET_CODES = new Set(['offline']);

/**
 * The signed-in page: the conversations, the connection that feeds them, the composer. On every connect it rejoins
 * each room with `since` = the highest seq seen, so a dropped connection or a reload misses no message. A room on
 * screen is marked read (`read`); the room list shows how many messages each other room has after the user's read
 * marker, which the node answers on join and every page of the user learns of when it moves.
 */
export class Chat {
  /**
   * @param token     the JWT
   * @param me        the user id in it
   * @param listeners onStatus(state, text), onRefused(reason), onAnnounce(announcement)
   */
  constructor({ token, me, onStatus, onRefused, onAnnounce }) {
    this.me = me;
    this.saved = new SavedRooms(me);
    this.conversations = new Map();
    this.unread = new Map();
    this.markers = new Map();
    this.readSoon = new Set();
    this.active = null;
    this.failedSend = null;
    this.typing = new Typing((room) => this.showTyping(room));
    this.sidebar = new Sidebar({ onOpen: (room) => this.select(room), onLeave: (room) => this.leave(room) });
    this.online = new Online((event, payload) => this.connection.request(event, payload), () => this.renderSidebar());
    this.online.watch(() => ({
      listed: [...this.conversations.keys()].filter((room) => !isDirectRoom(room)),
      open: this.active?.room ?? null,
    }));
    this.composer = byId('composer');
    this.text = byId('composer-text');
    // Until the connection exists (rooms restored from the last visit are shown first), the panel waits for a join.
    this.members = new MembersPanel({
      me, request: (event, payload) => this.connection?.request(event, payload) ?? new Promise(() => {}),
    });
    this.bindForms();
    for (const room of this.saved.rooms()) {
      this.add(room);
    }
    this.select(this.saved.open() ?? this.saved.rooms()[0] ?? null, { focus: false });
    this.connection = new Connection(token, {
      onStatus: (state, text) => {
        if (state !== 'online') {
          this.conversations.forEach((c) => c.setJoined(false));
        }
        onStatus(state, text);
      },
      onRefused,
      onConnect: () => this.rejoinAll(),
      events: {
        message: (m) => this.receiveLive(m),
        dm: (m) => this.receiveDirect(m),
        message_edited: (m) => this.receiveChange(m),
        message_deleted: (m) => this.receiveChange(m),
        typing: ({ room, from }) => from !== me && this.conversations.has(room) && this.typing.saw(room, from),
        presence: (p) => {
          this.showPresence(p);
          this.online.changed();
        },
        read: (r) => this.receiveRead(r),
        added: (a) => this.addedTo(a),
        removed: (r) => this.removedFrom(r),
        membership: (m) => this.showMembership(m),
        announce: onAnnounce,
        error: ({ error, event }) => event !== 'typing' && this.showComposerError(error.message),
      },
    });
  }

  stop() {
    this.online.stop();
    this.connection.close();
    this.abort.abort();
    for (const conversation of this.conversations.values()) {
      conversation.element.remove();
    }
    this.select(null);
    this.members.stop();
    this.sidebar.clear();
  }

  bindForms() {
    this.abort = new AbortController();
    const { signal } = this.abort;
    byId('join-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('join-input');
      const room = input.value.trim().toLowerCase();
      if (!PUBLIC_ROOM.test(room)) {
        this.showSidebarError('Room names are lower-case letters, digits, dashes and underscores.');
        return;
      }
      input.value = '';
      this.openAndJoin(room);
    }, { signal });
    byId('private-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('private-input');
      const name = input.value.trim().toLowerCase();
      if (!PUBLIC_ROOM.test(name)) {
        this.showSidebarError('Room names are lower-case letters, digits, dashes and underscores.');
        return;
      }
      input.value = '';
      this.create('create_room', { room: privateRoom(name) });
    }, { signal });
    byId('group-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('group-input');
      const members = input.value.split(/[\s,]+/).filter((user) => user !== '');
      if (!members.every((user) => USER.test(user))) {
        this.showSidebarError('User ids are letters, digits, dots, dashes and underscores.');
        return;
      }
      input.value = '';
      this.create('create_group', { members });
    }, { signal });
    byId('dm-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('dm-input');
      const user = input.value.trim();
      if (!USER.test(user)) {
        this.showSidebarError('User ids are letters, digits, dots, dashes and underscores.');
        return;
      }
      input.value = '';
      this.openAndJoin(directRoom(this.me, user));
    }, { signal });
    this.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.composer.requestSubmit();
      }
    }, { signal });
    this.text.addEventListener('input', () => {
      if (this.active && this.text.value.trim() && this.typing.shouldAnnounce(this.active.room)) {
        this.connection.notify('typing', { room: this.active.room });
      }
    }, { signal });
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    }, { signal });
    document.addEventListener('visibilitychange', () => {
      if (this.active && this.viewing(this.active)) {
        this.unread.delete(this.active.room);
        this.markRead(this.active);
        this.renderSidebar();
      }
    }, { signal });
  }

  add(room) {
    const conversation = new Conversation({
      room,
      title: titleOf(room, this.me),
      me: this.me,
      onNeedEarlier: (c) => this.loadEarlier(c),
      onEdit: (message, text) => this.connection.request('edit', { room, id: message.id, text }),
      onDelete: (message) => this.connection.request('delete', { room, id: message.id }),
    });
    this.conversations.set(room, conversation);
    byId('views').append(conversation.element);
    this.saved.add(room);
    this.renderSidebar();
    return conversation;
  }

  async openAndJoin(room) {
    this.showSidebarError('');
    if (this.conversations.has(room)) {
      this.select(room);
      return;
    }
    const conversation = this.add(room);
    this.select(room);
    const ack = await this.join(conversation);
    if (!ack.ok) {
      this.remove(room);
      this.showSidebarError(ack.error.message);
    }
  }

  /** Creates a private room or a group, then opens and joins it. */
  async create(event, payload) {
    this.showSidebarError('');
    const ack = await this.connection.request(event, payload);
    if (!ack.ok) {
      this.showSidebarError(ack.error.message);
      return;
    }
    await this.openAndJoin(ack.room);
  }

  /** This user was added to a private room or group: it appears among the rooms, joined. */
  addedTo({ room, by }) {
    if (this.conversations.has(room)) {
      return;
    }
    const conversation = this.add(room);
    conversation.addNotice(`${by} added you`);
    if (this.active === null) {
      this.select(room, { focus: false });
    }
    this.join(conversation);
  }

  /** This user was removed from a private room: the node has taken the page out of it already. */
  removedFrom({ room, by }) {
    const conversation = this.conversations.get(room);
    if (!conversation) {
      return;
    }
    conversation.removed = true;
    conversation.setJoined(false);
    conversation.addNotice(by ? `${by} removed you from this room` : 'You are no longer a member of this room');
    this.saved.remove(room);
    this.members.changed(room);
  }

  showMembership({ room, user, event, by }) {
    const conversation = this.conversations.get(room);
    if (conversation) {
      conversation.addNotice(event === 'added' ? `${by} added ${user}` : `${by} removed ${user}`);
      this.members.changed(room);
    }
  }

  rejoinAll() {
    for (const conversation of [...this.conversations.values()].filter((c) => !c.removed)) {
      this.join(conversation).then((ack) => {
        if (!ack.ok) {
          conversation.addNotice(`Could not rejoin: ${ack.error.message}`);
        }
      });
    }
  }

  async join(conversation) {
    const { room } = conversation;
    const since = this.saved.lastSeq(room);
    const ack = await this.connection.request('join', since === null ? { room } : { room, since });
    if (!ack.ok) {
      return ack;
    }
    conversation.setJoined(true);
    this.online.changed();
    this.members.changed(room);
    conversation.latestSeq = Math.max(conversation.latestSeq, ack.seq);
    if (ack.more) {
      conversation.reset();
      conversation.addNotice('Many messages arrived while you were away; the latest are below, scroll up for the rest.');
    } else {
      // After a drop every message in `missed` is new to the reader, even one the node already sent as an event
      // when it recovered the connection (socket.recovered): that one is shown once, and counted here all the same.
      ack.missed.forEach((m) => this.receive(conversation, m));
      if (ack.missed.length > 0) {
        const count = ack.missed.length === 1 ? '1 new message' : `${ack.missed.length} new messages`;
        conversation.markNewFrom(ack.missed[0].seq, `${count} while you were away`);
      }
      (ack.changed ?? []).forEach((m) => conversation.update(m));
    }
    this.saved.sawSeq(room, ack.seq);
    this.markers.set(room, Math.max(this.markers.get(room) ?? 0, ack.read ?? 0));
    for (const [user, seq] of Object.entries(ack.reads ?? {})) {
      if (user !== this.me) {
        conversation.showSeen(seq);
      }
    }
    if (this.viewing(conversation)) {
      this.markRead(conversation);
    } else {
      // The node counts up to its ack's seq; what arrived live past it is counted here.
      this.unread.set(room, (ack.unread ?? 0) + conversation.othersAfter(ack.seq));
    }
    this.renderSidebar();
    if (conversation.size < FILL_BELOW) {
      await this.loadEarlier(conversation);
    }
    return ack;
  }

  async loadEarlier(conversation) {
    if (!conversation.canLoadEarlier()) {
      return;
    }
    const before = conversation.nextBefore();
    const limit = Math.min(PAGE, before - 1);
    if (limit < 1) {
      conversation.reachedBeginning();
      return;
    }
    conversation.setLoading(true);
    const ack = await this.connection.request('history', { room: conversation.room, before, limit });
    conversation.setLoading(false);
    if (!ack.ok) {
      conversation.showEdgeError(ack.error.message);
      return;
    }
    conversation.showEdgeError('');
    conversation.addEarlier(ack.messages);
    if (ack.messages.length === 0) {
      conversation.reachedBeginning();
    }
  }

  async leave(room) {
    this.remove(room);
    const ack = await this.connection.request('leave', { room });
    if (!ack.ok && !QUIET_CODES.has(ack.error.code)) {
      this.showSidebarError(ack.error.message);
    }
  }

  remove(room) {
    const conversation = this.conversations.get(room);
    conversation?.element.remove();
    this.conversations.delete(room);
    this.unread.delete(room);
    this.markers.delete(room);
    this.saved.remove(room);
    if (this.active === conversation) {
      this.select(this.conversations.keys().next().value ?? null, { focus: false });
    }
    this.renderSidebar();
  }

  select(room, { focus = true } = {}) {
    const conversation = room === null ? null : this.conversations.get(room) ?? null;
    this.active?.hide();
    this.active = conversation;
    const title = conversation ? conversation.title : 'Join a room to start';
    byId('conversation-title').textContent = title;
    byId('composer-label').textContent = conversation ? `Message ${title}` : 'Message';
    this.text.disabled = conversation === null;
    byId('composer-send').disabled = conversation === null;
    this.showComposerError('');
    if (conversation) {
      conversation.show();
      this.unread.delete(room);
      this.markRead(conversation);
      this.saved.setOpen(room);
      if (focus) {
        this.text.focus();
      }
    }
    this.members.show(conversation ? room : null);
    this.showTyping(room);
    if (this.connection) {
      this.online.opened(conversation?.joined ? room : null);
    }
    this.renderSidebar();
  }

  async send() {
    const text = this.text.value;
    const conversation = this.active;
    if (!conversation || !text.trim()) {
      return;
    }
    const { room } = conversation;
    const retry = this.failedSend?.room === room && this.failedSend.text === text;
    const cid = retry ? this.failedSend.cid : newCid();
    this.text.value = '';
    this.showComposerError('');
    const ack = isDirectRoom(room)
      ? await this.connection.request('dm', { to: peerOf(room, this.me), text, cid })
      : await this.connection.request('message', { room, text, cid });
    if (ack.ok) {
      this.failedSend = null;
      this.receive(conversation, { id: ack.id, room, seq: ack.seq, from: this.me, text, ts: ack.ts, cid });
      return;
    }
    this.failedSend = { room, text, cid };
    if (this.text.value === '' && this.active === conversation) {
      this.text.value = text;
    }
    this.showComposerError(ack.error.message);
  }

  receiveLive(message) {
    const conversation = this.conversations.get(message.room);
    if (conversation) {
      this.receive(conversation, message);
    }
  }

  /** A direct message opens its conversation, joined so that typing works and a later rejoin can catch up. */
  receiveDirect(message) {
    let conversation = this.conversations.get(message.room);
    if (!conversation) {
      conversation = this.add(message.room);
      if (this.active === null) {
        this.select(message.room, { focus: false });
      }
      this.join(conversation);
    }
    this.receive(conversation, message);
  }

  /** An edit or a deletion: the message, where it is shown, as it now stands. Its seq counts for a rejoin. */
  receiveChange(message) {
    const conversation = this.conversations.get(message.room);
    if (conversation) {
      conversation.update(message);
      this.saved.sawSeq(conversation.room, changeSeq(message));
    }
  }

  /** Shows a message once; true when it was new. */
  receive(conversation, message) {
    if (!conversation.add(message)) {
      return false;
    }
    this.saved.sawSeq(conversation.room, message.seq);
    this.typing.stopped(conversation.room, message.from);
    if (this.viewing(conversation)) {
      this.markReadSoon(conversation);
    } else if (message.from !== this.me) {
      this.unread.set(conversation.room, (this.unread.get(conversation.room) ?? 0) + 1);
      this.renderSidebar();
    }
    return true;
  }

  /** Whether the person sees the conversation: it is the one open, in a tab that is not hidden. */
  viewing(conversation) {
    return conversation === this.active && document.visibilityState === 'visible';
  }

  /**
   * Tells the node the conversation is read up to its latest message, once per new latest: every page of the user
   * then clears its count. A failure is tried again the next time the conversation is viewed.
   */
  markRead(conversation) {
    const { room, latestSeq } = conversation;
    if (latestSeq <= (this.markers.get(room) ?? 0)) {
      return;
    }
    this.markers.set(room, latestSeq);
    this.connection.request('read', { room, seq: latestSeq }).then((ack) => {
      if (!ack.ok && this.markers.get(room) === latestSeq) {
        this.markers.delete(room);
      }
    });
  }

  /** Marks the conversation read once the messages that arrive together are in: one `read` for a join's `missed`. */
  markReadSoon(conversation) {
    if (this.readSoon.has(conversation)) {
      return;
    }
    this.readSoon.add(conversation);
    queueMicrotask(() => {
      this.readSoon.delete(conversation);
      if (this.conversations.get(conversation.room) === conversation) {
        this.markRead(conversation);
      }
    });
  }

  /**
   * A read marker moved: the user's own, on this or another page (the room's count drops to what follows it), or
   * the other person's in a direct conversation (their read receipt).
   */
  receiveRead({ room, user, seq }) {
    const conversation = this.conversations.get(room);
    if (!conversation) {
      return;
    }
    if (user !== this.me) {
      conversation.showSeen(seq);
      return;
    }
    this.markers.set(room, Math.max(this.markers.get(room) ?? 0, seq));
    const left = Math.min(this.unread.get(room) ?? 0, conversation.othersAfter(seq));
    if (left > 0) {
      this.unread.set(room, left);
    } else {
      this.unread.delete(room);
    }
    this.renderSidebar();
  }

  showPresence({ room, user, event }) {
    const conversation = this.conversations.get(room);
    if (conversation && user !== this.me && !isDirectRoom(room)) {
      conversation.addNotice(event === 'join' ? `${user} joined` : `${user} left`);
    }
  }

  showTyping(room) {
    if (this.active?.room === room || room === null) {
      byId('typing').textContent = this.active ? this.typing.describe(this.active.room) : '';
    }
  }

  showComposerError(text) {
    byId('composer-error').textContent = text;
  }

  showSidebarError(text) {
    byId('sidebar-error').textContent = text;
  }

  renderSidebar() {
    const entries = [...this.conversations.values()].map((c) => ({
      room: c.room,
      title: c.title,
      direct: isDirectRoom(c.room),
      unread: this.unread.get(c.room) ?? 0,
      online: this.online.counts.get(c.room) ?? null,
    }));
    this.sidebar.render(entries, this.active?.room ?? null);
  }
}

/** A client message id, so a resend after a timeout is stored once (PROTOCOL.md §5). */
function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
