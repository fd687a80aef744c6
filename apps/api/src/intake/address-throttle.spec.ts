import { initCrypto } from '@haven/crypto';
import {
  AddressThrottle,
  MAX_TRACKED,
  THROTTLE_WINDOW_MS,
  throttleLimits,
} from './address-throttle';

beforeAll(async () => {
  await initCrypto();
});

describe('AddressThrottle', () => {
  const start = Date.UTC(2026, 2, 10, 12, 0, 0);

  it('allows the limit per address and window, then says when to come back', () => {
    let now = start;
    const throttle = new AddressThrottle(throttleLimits(2), () => now);
    expect(throttle.take('write', '203.0.113.77')).toEqual({ allowed: true });
    expect(throttle.take('write', '203.0.113.77')).toEqual({ allowed: true });
    expect(throttle.take('write', '203.0.113.77')).toEqual({
      allowed: false,
      retryAfterSeconds: THROTTLE_WINDOW_MS / 1000,
    });
    now += 60_000;
    expect(throttle.take('write', '203.0.113.77')).toEqual({
      allowed: false,
      retryAfterSeconds: THROTTLE_WINDOW_MS / 1000 - 60,
    });
    expect(throttle.take('write', '203.0.113.78')).toEqual({ allowed: true });
    now = start + THROTTLE_WINDOW_MS;
    expect(throttle.take('write', '203.0.113.77')).toEqual({ allowed: true });
  });

  it('counts reads separately, with five times the limit', () => {
    const throttle = new AddressThrottle(throttleLimits(1), () => start);
    expect(throttle.take('write', '192.0.2.1').allowed).toBe(true);
    expect(throttle.take('write', '192.0.2.1').allowed).toBe(false);
    const reads = Array.from({ length: 6 }, () => throttle.take('read', '192.0.2.1').allowed);
    expect(reads).toEqual([true, true, true, true, true, false]);
  });

  it('keeps only keyed hashes, never the address', () => {
    const throttle = new AddressThrottle(throttleLimits(5), () => start);
    throttle.take('write', '203.0.113.77');
    const state = JSON.stringify([
      ...(throttle as unknown as { windows: Map<string, unknown> }).windows,
    ]);
    expect(state).not.toContain('203.0.113.77');
    expect(state).toMatch(/write:[0-9a-f]{32}/);
  });

  it('forgets everything when the daily key changes', () => {
    let now = start;
    const throttle = new AddressThrottle(throttleLimits(1), () => now);
    expect(throttle.take('write', '192.0.2.9').allowed).toBe(true);
    expect(throttle.take('write', '192.0.2.9').allowed).toBe(false);
    now = Date.UTC(2026, 2, 11, 0, 0, 1);
    expect(throttle.size).toBe(1);
    expect(throttle.take('write', '192.0.2.9').allowed).toBe(true);
    expect(throttle.size).toBe(1);
  });

  it('stays bounded: beyond MAX_TRACKED new addresses share one bucket', () => {
    const now = start;
    const throttle = new AddressThrottle(throttleLimits(2), () => now);
    for (let i = 0; i < MAX_TRACKED; i++) throttle.take('write', `a${i}`);
    expect(throttle.size).toBe(MAX_TRACKED);
    expect(throttle.take('write', 'new-1').allowed).toBe(true);
    expect(throttle.take('write', 'new-2').allowed).toBe(true);
    expect(throttle.take('write', 'new-3').allowed).toBe(false);
    expect(throttle.size).toBe(MAX_TRACKED + 1);
  });

  it('treats a missing address as one sender', () => {
    const throttle = new AddressThrottle(throttleLimits(1), () => start);
    expect(throttle.take('write', undefined).allowed).toBe(true);
    expect(throttle.take('write', '').allowed).toBe(false);
  });
});
