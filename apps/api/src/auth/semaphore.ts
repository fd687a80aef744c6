/** Thrown by `Semaphore.run` when every slot is busy and the queue is full. */
export class QueueFullError extends Error {
  constructor() {
    super('queue full');
    this.name = 'QueueFullError';
  }
}

/**
 * At most `maxConcurrent` tasks at once and at most `maxQueue` waiting; beyond that `run`
 * refuses at once (the caller answers 503) instead of letting a burst pile up in memory and
 * latency. Argon2id verification is the reason: each holds 19 MiB and a libuv thread.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new Error('maxConcurrent must be a positive integer');
    }
    if (!Number.isInteger(maxQueue) || maxQueue < 0) {
      throw new Error('maxQueue must be a non-negative integer');
    }
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** True when `run` would refuse right now. */
  get full(): boolean {
    return this.active >= this.maxConcurrent && this.waiting.length >= this.maxQueue;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueue) throw new QueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next) next();
      else this.active--;
    }
  }
}
