import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { Policy } from '../src/access/policy.decorator';
import { startTestApp } from './support/test-app';

/** A promise with its resolver, to hold a request in flight until the test releases it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const entered = deferred();
const release = deferred();

@Controller()
class SlowController {
  constructor(private readonly dataSource: DataSource) {}

  /** Waits for the test, then still needs the database: the pool must outlive the request. */
  @Get('/api/test/slow')
  @Policy({ public: true })
  async slow(): Promise<{ one: number }> {
    entered.resolve();
    await release.promise;
    const rows: { one: number }[] = await this.dataSource.query('SELECT 1 AS one');
    return { one: rows[0].one };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

/** Yields to the event loop until `check` holds (no clock involved). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

describe('graceful shutdown', () => {
  let app: NestFastifyApplication;

  afterAll(async () => {
    release.resolve();
    if (app) await app.close().catch(() => undefined);
  });

  it('stops accepting, lets the in-flight request finish, then closes the pool', async () => {
    app = await startTestApp({ imports: [SlowModule] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const server = app.getHttpServer();
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const dataSource = app.get(DataSource);

    expect((await fetch(`${base}${routes.health.path}`)).status).toBe(200);

    const inFlight = fetch(`${base}/api/test/slow`);
    await entered.promise;

    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });

    // The listener goes away first; the in-flight request and the pool are still there.
    await until(() => !server.listening);
    await expect(fetch(`${base}${routes.health.path}`)).rejects.toThrow();
    expect(closed).toBe(false);
    expect(dataSource.isInitialized).toBe(true);

    release.resolve();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ one: 1 });

    await closing;
    expect(dataSource.isInitialized).toBe(false);
  });
});
