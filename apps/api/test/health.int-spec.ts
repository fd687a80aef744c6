import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import { scratchDatabase, startTestApp } from './support/test-app';

describe('health and readiness', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('GET /api/health answers 200 ok', async () => {
    const res = await app.inject({ method: 'GET', url: routes.health.path });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('GET /api/ready answers 200 when the database answers', async () => {
    const res = await app.inject({ method: 'GET', url: routes.ready.path });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('GET /api/docs serves the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: routes.docs.path });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/ready', '/api/docs', '/api/setup/status']),
    );
  });
});

describe('readiness when the database goes away', () => {
  it('answers 503 with a clear body, while liveness stays 200', async () => {
    const db = await scratchDatabase({ migrate: false });
    const app = await startTestApp({ config: { databaseUrl: db.url } });
    try {
      expect((await app.inject({ method: 'GET', url: routes.ready.path })).statusCode).toBe(200);

      // Drops the database under the running app: its connections are terminated and new
      // ones are refused, as when the database server is unreachable.
      await db.drop();

      const res = await app.inject({ method: 'GET', url: routes.ready.path });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Database unreachable',
      });
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await app.inject({ method: 'GET', url: routes.health.path })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
