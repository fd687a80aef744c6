import { QueueFullError, Semaphore } from './semaphore';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets queued promise callbacks run (no clock involved). */
const settle = () => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('runs at most maxConcurrent tasks at once, the rest in arrival order', async () => {
    const semaphore = new Semaphore(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = gates.map((gate, i) =>
      semaphore.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(semaphore.running).toBe(2);
    expect(semaphore.queued).toBe(2);
    gates[1].resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3]);
    expect(semaphore.running).toBe(0);
  });

  it('refuses at once when the queue is full, without running the task', async () => {
    const semaphore = new Semaphore(1, 1);
    const gate = deferred();
    const first = semaphore.run(() => gate.promise);
    expect(semaphore.full).toBe(false);
    const second = semaphore.run(() => gate.promise);
    expect(semaphore.full).toBe(true);
    let ran = false;
    await expect(
      semaphore.run(async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(QueueFullError);
    expect(ran).toBe(false);
    gate.resolve();
    await Promise.all([first, second]);
    await expect(semaphore.run(async () => 'free again')).resolves.toBe('free again');
  });

  it('frees the slot when a task fails', async () => {
    const semaphore = new Semaphore(1, 0);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 1)).resolves.toBe(1);
  });

  it('refuses nonsense limits', () => {
    expect(() => new Semaphore(0, 1)).toThrow();
    expect(() => new Semaphore(1, -1)).toThrow();
  });
});
