import { createAddressHasher } from './address';
import { CryptoError } from './errors';
import { initCrypto } from './sodium';

beforeAll(async () => {
  await initCrypto();
});

const DAY = 86_400_000;

describe('createAddressHasher', () => {
  it('gives one address the same 128-bit hash all day, and two addresses different ones', () => {
    let t = Date.UTC(2026, 0, 5, 0, 0, 1);
    const hasher = createAddressHasher(() => t);
    const first = hasher.hash('203.0.113.77');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    t += DAY - 10_000;
    expect(hasher.hash('203.0.113.77')).toBe(first);
    expect(hasher.hash('203.0.113.78')).not.toBe(first);
    expect(hasher.hash('2001:db8::1')).not.toBe(first);
  });

  it('never contains the address and differs between processes (random keys)', () => {
    const a = createAddressHasher();
    const b = createAddressHasher();
    const hash = a.hash('203.0.113.77');
    expect(hash).not.toContain('203');
    expect(b.hash('203.0.113.77')).not.toBe(hash);
  });

  it('changes key at UTC midnight, and reports the day of the key in use', () => {
    let t = Date.UTC(2026, 0, 5, 23, 59, 59);
    const hasher = createAddressHasher(() => t);
    const before = hasher.hash('198.51.100.23');
    expect(hasher.day()).toBe(Math.floor(t / DAY));
    t += 2000;
    expect(hasher.hash('198.51.100.23')).not.toBe(before);
    expect(hasher.day()).toBe(Math.floor(t / DAY));
  });

  it('forgets its key on wipe', () => {
    const hasher = createAddressHasher();
    const before = hasher.hash('192.0.2.1');
    hasher.wipe();
    expect(hasher.hash('192.0.2.1')).not.toBe(before);
  });

  it('refuses what is not an address-sized string', () => {
    const hasher = createAddressHasher();
    for (const bad of ['', 'x'.repeat(257), 42, undefined]) {
      expect(() => hasher.hash(bad as never)).toThrow(CryptoError);
    }
  });
});
