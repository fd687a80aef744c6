import { Injectable, type OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { RetryLaterException } from './retry-later';
import { QueueFullError, Semaphore } from './semaphore';
import { ServerKeys } from './server-keys';

/**
 * argon2id(authKey) on the server (m = 19 MiB, t = 2, p = 1: OWASP's minimum for argon2id).
 * authKey is already the output of a slow KDF in the browser; this second hash means a stolen
 * database does not hand out values that sign in directly. The hash is also keyed with a
 * subkey of SERVER_SECRET (argon2's `secret`, a pepper): without it a stolen database cannot
 * even be searched offline for weak authKeys.
 *
 * Bounded: at most MAX_CONCURRENT hashes run at once (libuv's thread pool has 4 threads; this
 * machine 2 cores) and MAX_QUEUED wait; beyond that the request is shed with 503 and
 * Retry-After instead of queueing without limit. The queue is sized so that the last waiter
 * still finishes well within a second (see docs/accounts.md for the measurement).
 */
export const ARGON2_OPTIONS = {
  type: argon2id,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MAX_CONCURRENT_HASHES = 4;
export const MAX_QUEUED_HASHES = 4;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly semaphore = new Semaphore(MAX_CONCURRENT_HASHES, MAX_QUEUED_HASHES);
  /** Verified against for unknown usernames, so that they cost the same time as real ones. */
  private dummyHash = '';

  constructor(private readonly keys: ServerKeys) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash(Buffer.alloc(32), { ...ARGON2_OPTIONS, secret: this.pepper() });
  }

  /**
   * Sheds at the door: called before a sign-in does any database work, so that a burst the
   * queue cannot take costs the server almost nothing.
   */
  assertCapacity(): void {
    if (this.semaphore.full) throw this.busyError();
  }

  /** True while every slot and every queue place is taken. */
  get busy(): boolean {
    return this.semaphore.full;
  }

  async hash(authKey: Buffer): Promise<string> {
    return this.bounded(() => hash(authKey, { ...ARGON2_OPTIONS, secret: this.pepper() }));
  }

  /** `stored` null stands for "no such account": verified against a dummy, always false. */
  async verify(stored: string | null, authKey: Buffer): Promise<boolean> {
    const ok = await this.bounded(() =>
      verify(stored ?? this.dummyHash, authKey, { secret: this.pepper() }).catch(() => false),
    );
    return stored !== null && ok;
  }

  private pepper(): Buffer {
    return Buffer.from(this.keys.pepper);
  }

  private async bounded<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.semaphore.run(task);
    } catch (error) {
      if (error instanceof QueueFullError) throw this.busyError();
      throw error;
    }
  }

  private busyError(): RetryLaterException {
    return new RetryLaterException(503, 'The server is busy; try again in a moment', 1);
  }
}
