import { byId, el } from './dom.js';
import { Chat } from './chat.js';
import { savedToken } from './saved.js';
import { DevTokensDisabled, claimsOf, requestDevToken } from './session.js';

/**
 * The chat page every node serves at /: signs in, then hands over to Chat. It talks to the node that served it,
 * whose address it shows, so each node of a cluster can be tried on its own.
 */
let chat = null;

function start(token) {
  let claims;
  try {
    claims = claimsOf(token);
  } catch (error) {
    savedToken.clear();
    showSignIn(error.message);
    return;
  }
  savedToken.set(token);
  byId('sign-in').hidden = true;
  byId('chat').hidden = false;
  byId('me').hidden = false;
  byId('me-name').textContent = claims.sub;
  setStatus('connecting', 'Connecting…');
  chat = new Chat({
    token,
    me: claims.sub,
    onStatus: setStatus,
    onRefused: (reason) => signOut(`The node refused the sign-in (${reason}). Sign in again.`),
    onAnnounce: showAnnouncement,
  });
}

function signOut(message = '') {
  chat?.stop();
  chat = null;
  savedToken.clear();
  setStatus('offline', 'Not connected');
  showSignIn(message);
}

function showSignIn(message) {
  byId('chat').hidden = true;
  byId('me').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = message;
  const tokenForm = byId('token-form');
  (tokenForm.hidden ? byId('name-input') : byId('token-input')).focus();
}

function setStatus(state, text) {
  const status = byId('status');
  status.dataset.state = state;
  status.textContent = text;
}

function showAnnouncement({ text, ts }) {
  const sent = new Date(ts);
  const dismiss = el('button', { type: 'button', className: 'quiet', text: 'Dismiss', attrs: { 'aria-label': 'Dismiss announcement' } });
  const item = el('li', {},
    el('strong', { text: 'Announcement' }),
    ' ',
    el('time', { attrs: { datetime: sent.toISOString() }, text: sent.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
    ' ',
    el('span', { className: 'announcement-text', text }),
    ' ',
    dismiss);
  dismiss.addEventListener('click', () => item.remove());
  byId('announcements').prepend(item);
}

byId('name-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = byId('name-input').value.trim();
  byId('sign-in-error').textContent = '';
  try {
    start(await requestDevToken(user));
  } catch (error) {
    if (error instanceof DevTokensDisabled) {
      byId('name-form').hidden = true;
      byId('token-form').hidden = false;
      byId('token-input').focus();
    } else {
      byId('sign-in-error').textContent = error.message;
    }
  }
});

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  byId('sign-in-error').textContent = '';
  start(byId('token-input').value.trim());
});

byId('sign-out').addEventListener('click', () => signOut());

byId('node-host').textContent = location.host;
const token = savedToken.get();
if (token) {
  start(token);
} else {
  showSignIn('');
}
