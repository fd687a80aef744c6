/**
 * Session tokens: 32 random bytes (256 bits), base64url, handed to the browser in an
 * httpOnly cookie and stored only as SHA-256. A plain hash is enough: the token is random and
 * long, so there is nothing to brute-force, and a database dump cannot be replayed as a cookie.
 * Cookies are parsed and written with @fastify/cookie's codec; the plugin itself is not
 * registered (only this one cookie is ever read).
 */
import { createHash, randomBytes } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import { SESSION_COOKIE } from '@haven/contracts';

export const SESSION_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

export function hashSessionToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The session token from a Cookie header, or null when absent or not shaped like one. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  let value: string | undefined;
  try {
    value = fastifyCookie.parse(cookieHeader)[SESSION_COOKIE];
  } catch {
    return null;
  }
  return value !== undefined && TOKEN_PATTERN.test(value) ? value : null;
}

/**
 * `__Host-haven_session=…; Path=/; HttpOnly; Secure; SameSite=Strict`. No Max-Age: the browser
 * drops it when it closes; the server enforces the idle timeout and the absolute limit.
 * Browsers treat http://127.0.0.1 and http://localhost as secure, so this works in development.
 */
export function sessionCookie(token: string): string {
  return fastifyCookie.serialize(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
  });
}

/** Overwrites the cookie with an expired, empty one. */
export function clearedSessionCookie(): string {
  return fastifyCookie.serialize(SESSION_COOKIE, '', {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    maxAge: 0,
  });
}

/** Sent on sign-out: the browser drops cookies and storage of this origin. */
export const CLEAR_SITE_DATA = '"cookies", "storage"';
