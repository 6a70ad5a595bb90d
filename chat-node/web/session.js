/**
 * Getting a token: in a local run a node hands out development tokens for a name (POST /api/dev/token); elsewhere
 * it answers 404 and people paste a token from their identity provider.
 */

/** Thrown when this node has dev tokens off, so the page asks for a pasted token instead. */
export class DevTokensDisabled extends Error {
}

export async function requestDevToken(user) {
  let response;
  try {
    response = await fetch('/api/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
  } catch (error) {
    throw new Error('Cannot reach this node. Check that it is running and try again.');
  }
  if (response.status === 404) {
    throw new DevTokensDisabled();
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(body.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
  }
  return body.token;
}

/**
 * The claims of a JWT ({@code sub}, {@code exp}, {@code name}), read without verifying: the node verifies it,
 * the page only needs to know whose it is. Throws when it is no JWT or has expired.
 */
export function claimsOf(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    throw new Error('That is not a token: a token has three parts separated by dots.');
  }
  let claims;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error('That token cannot be read.');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new Error('That token names no user (claim "sub").');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    throw new Error('That token has expired. Sign in again.');
  }
  return claims;
}
