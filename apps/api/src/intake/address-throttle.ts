/**
 * Per-address throttling for the anonymous intake, held in this process's memory only.
 * Addresses are never stored, logged or kept in clear even here: each is replaced at once by a
 * keyed hash under a random key that changes at UTC midnight (`createAddressHasher`), and the
 * whole table is dropped when the key changes. Fixed windows of ten minutes per address-hash.
 *
 * With several API processes each counts on its own, so the effective limit is multiplied by
 * the number of replicas; that is acceptable for a flood guard and keeps addresses out of the
 * database entirely.
 */
import { createAddressHasher, type AddressHasher } from '@haven/crypto';

export type ThrottleBucket = 'write' | 'read';

export const THROTTLE_WINDOW_MS = 10 * 60_000;
/** Reading a thread is cheaper than writing and a person may check several times. */
export const READ_LIMIT_FACTOR = 5;
/**
 * Upper bound on tracked address-hashes (about 100 bytes each). Beyond it, addresses not yet
 * tracked share one bucket, so a flood from very many addresses is throttled as one sender
 * instead of exhausting memory.
 */
export const MAX_TRACKED = 100_000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Window {
  count: number;
  resetAt: number;
}

export class AddressThrottle {
  private readonly windows = new Map<string, Window>();
  private day = Number.NaN;
  private readonly hasher: AddressHasher;

  constructor(
    private readonly limits: Readonly<Record<ThrottleBucket, number>>,
    private readonly now: () => number = Date.now,
  ) {
    this.hasher = createAddressHasher(now);
  }

  /** Counts one request from `address`; refuses it once the bucket's limit is reached. */
  take(bucket: ThrottleBucket, address: string | undefined): ThrottleDecision {
    const now = this.now();
    const day = this.hasher.day();
    if (day !== this.day) {
      // A new key: yesterday's hashes can no longer be matched, so they are useless.
      this.windows.clear();
      this.day = day;
    }
    let key = `${bucket}:${this.hasher.hash(address || 'unknown')}`;
    let window = this.windows.get(key);
    if (window === undefined && this.windows.size >= MAX_TRACKED) {
      this.sweep(now);
      if (this.windows.size >= MAX_TRACKED) {
        key = `${bucket}:overflow`;
        window = this.windows.get(key);
      }
    }
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + THROTTLE_WINDOW_MS };
      this.windows.set(key, window);
    }
    if (window.count >= this.limits[bucket]) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
      };
    }
    window.count += 1;
    return { allowed: true };
  }

  /** How many address-hashes are tracked (for tests). */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets everything, key included (shutdown). */
  clear(): void {
    this.windows.clear();
    this.hasher.wipe();
    this.day = Number.NaN;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(key);
    }
  }
}

/** Limits from `INTAKE_RATE_LIMIT`: writes as configured, reads five times as many. */
export function throttleLimits(writeLimit: number): Record<ThrottleBucket, number> {
  return { write: writeLimit, read: writeLimit * READ_LIMIT_FACTOR };
}
