import { fromBase64Url, toBase64Url } from './base64url';

describe('base64url', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text).toHaveLength(Math.ceil((n * 4) / 3));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it('matches the RFC 4648 test vectors (url-safe alphabet, no padding)', () => {
    const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    expect(toBase64Url(text('foobar'))).toBe('Zm9vYmFy');
    expect(toBase64Url(text('fo'))).toBe('Zm8');
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('refuses text that is not base64url', () => {
    expect(() => fromBase64Url('a+b/')).toThrow();
    expect(() => fromBase64Url('abc=')).toThrow();
  });
});
