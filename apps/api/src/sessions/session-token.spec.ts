import {
  clearedSessionCookie,
  hashSessionToken,
  newSessionToken,
  sessionCookie,
  sessionTokenFrom,
} from './session-token';

describe('session tokens', () => {
  it('are 256 random bits as base64url, and stored only as their SHA-256', () => {
    const token = newSessionToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionToken()).not.toBe(token);
    expect(hashSessionToken(token)).toHaveLength(32);
    expect(hashSessionToken(token).toString('base64url')).not.toBe(token);
  });

  it('travel in a __Host- cookie: HttpOnly, Secure, SameSite=Strict, Path=/, no Domain', () => {
    expect(sessionCookie('abc')).toBe(
      '__Host-haven_session=abc; Path=/; HttpOnly; Secure; SameSite=Strict',
    );
    expect(clearedSessionCookie()).toBe(
      '__Host-haven_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict',
    );
  });

  it('are read from the Cookie header only when shaped like a token', () => {
    const token = newSessionToken();
    expect(sessionTokenFrom(`a=1; __Host-haven_session=${token}; b=2`)).toBe(token);
    expect(sessionTokenFrom(undefined)).toBeNull();
    expect(sessionTokenFrom('haven_session=x')).toBeNull();
    expect(sessionTokenFrom('__Host-haven_session=short')).toBeNull();
    expect(sessionTokenFrom(`__Host-haven_session=${token}x`)).toBeNull();
    expect(sessionTokenFrom('__Host-haven_session=%E0%A4%A')).toBeNull();
  });
});
