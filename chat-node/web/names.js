/** Room and user names as PROTOCOL.md §3-4 define them. */
export const PUBLIC_ROOM = /^[a-z0-9][a-z0-9_-]{0,63}$/;
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

export function titleOf(room, me) {
  return isDirectRoom(room) ? `@${peerOf(room, me)}` : `#${room}`;
}
