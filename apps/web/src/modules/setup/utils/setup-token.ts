/**
 * Setup links carry their one-time token in the URL fragment (`/setup#token=…`): browsers
 * never send the fragment to a server, so it stays out of access logs, proxies and the
 * Referer header. The page reads it once into memory and then drops it from the address bar.
 */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,512}$/;

/** The token from a `#token=…` fragment, or null when it is absent or not a plausible token. */
export function readSetupToken(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const token = new URLSearchParams(fragment).get('token');
  return token !== null && TOKEN_PATTERN.test(token) ? token : null;
}
