import { setNonce } from 'get-nonce';

/**
 * The dashboard is served with `style-src 'self' 'nonce-…'`: the server puts a fresh nonce
 * into the CSP header and into <meta name="csp-nonce"> of every index.html it sends. Mantine
 * injects its theme variables as <style> elements, which need that nonce to be applied.
 */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

// Base64 (standard or URL-safe) as servers generate nonces; anything else is not a nonce.
const NONCE_PATTERN = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/**
 * The nonce from the page's meta tag, or undefined when the page was served without one (the
 * Vite dev server leaves the placeholder in place and sends no CSP).
 */
export function readStyleNonce(doc: Pick<Document, 'querySelector'>): string | undefined {
  const content = doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  if (!content || content === NONCE_PLACEHOLDER || !NONCE_PATTERN.test(content)) return undefined;
  return content;
}

/**
 * Gives the nonce to the style injectors outside Mantine's own: Mantine's Modal and Drawer
 * lock scrolling through react-remove-scroll, whose react-style-singleton adds a <style>
 * with the nonce `get-nonce` returns (none unless set), which the CSP would refuse. Call once
 * at start-up, before anything renders. Nothing is set without a nonce (development).
 */
export function applyStyleNonce(nonce: string | undefined): void {
  if (nonce !== undefined) setNonce(nonce);
}
