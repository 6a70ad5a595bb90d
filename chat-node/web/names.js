/** Room and user names as PROTOCOL.md §3-4 define them. */
export const PUBLIC_ROOM = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const PRIVATE_PREFIX = 'p:';
const GROUP_PREFIX = 'g:';
export const USER = /^[A-Za-z0-9_.-]{1,64}$/;

/** The room of the direct conversation of two users: dm:<x>:<y> with the ids sorted, as the node names it. */
export function directRoom(a, b) {
  return a <= b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

export function isDirectRoom(room) {
  return room.startsWith('dm:');
}

/** The other user of a direct conversation (the user themself when they write to themself). */
export function peerOf(room, me) {
  const [x, y] = room.slice('dm:'.length).split(':');
  return x === me ? y : x;
}

/** The private room of a name: p:<name>, which only its members may use. */
export function privateRoom(name) {
  return `${PRIVATE_PREFIX}${name}`;
}

export function isPrivateRoom(room) {
  return room.startsWith(PRIVATE_PREFIX);
}

export function isGroupRoom(room) {
  return room.startsWith(GROUP_PREFIX);
}

/** A room with members: a private room or a group. */
export function isMembersOnly(room) {
  return isPrivateRoom(room) || isGroupRoom(room);
}

export function titleOf(room, me) {
  if (isDirectRoom(room)) {
    return `@${peerOf(room, me)}`;
  }
  if (isPrivateRoom(room)) {
    return `#${room.slice(PRIVATE_PREFIX.length)} (private)`;
  }
  if (isGroupRoom(room)) {
    return `Group ${room.slice(GROUP_PREFIX.length, GROUP_PREFIX.length + 6)}`;
  }
  return `#${room}`;
}
