import { Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import { z } from 'zod';
import { Policy } from '../src/access/policy.decorator';
import { ZodBody } from '../src/common/validation/zod.decorators';
import { LogCollector, startTestApp } from './support/test-app';

const CANARY = 'canary7f3a';

@Controller()
@Policy({ public: true })
class LoggedController {
  @Post('/api/test/notes/:id')
  note(@ZodBody(z.object({ text: z.string() })) body: { text: string }): { length: number } {
    return { length: body.text.length };
  }

  @Get('/api/test/fail')
  fail(): never {
    throw new TypeError('lookup failed');
  }
}

@Module({ controllers: [LoggedController] })
class LoggedModule {}

describe('request logs', () => {
  let app: NestFastifyApplication;
  const logs = new LogCollector();

  beforeAll(async () => {
    app = await startTestApp({
      imports: [LoggedModule],
      logDestination: logs,
      config: { logLevel: 'info' },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    logs.lines.length = 0;
  });

  const identifying = {
    'user-agent': `Mozilla/5.0 ${CANARY}`,
    'x-forwarded-for': '203.0.113.77',
    'x-real-ip': '198.51.100.23',
    referer: `https://example.org/${CANARY}`,
    cookie: `session=${CANARY}`,
    'x-request-id': `${CANARY}-id`,
  };

  it('writes one JSON line per request: id, method, route pattern, status, time', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/test/notes/${CANARY}?q=${CANARY}`,
      headers: { ...identifying, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: `my name is ${CANARY}` }),
      remoteAddress: '192.0.2.55',
    });
    expect(res.statusCode).toBe(201);
    const entries = logs.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', route: '/api/test/notes/:id' },
      res: { statusCode: 201 },
      responseTime: expect.any(Number) as number,
    });
    expect(Object.keys(entries[0].req as object).sort()).toEqual(['id', 'method', 'route']);
  });

  it('never contains the query string, body, address, user agent or other headers', async () => {
    await app.inject({
      method: 'POST',
      url: `/api/test/notes/${CANARY}?q=${CANARY}`,
      headers: { ...identifying, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: `my name is ${CANARY}` }),
      remoteAddress: '192.0.2.55',
    });
    await app.inject({
      method: 'GET',
      url: `/api/unknown/${CANARY.slice(0, 3)}?token=${CANARY}`,
      headers: identifying,
      remoteAddress: '192.0.2.55',
    });
    await app.inject({
      method: 'POST',
      url: '/api/test/notes/x',
      headers: { ...identifying, 'content-type': 'application/json' },
      payload: `{"text": "${CANARY}`,
      remoteAddress: '192.0.2.55',
    });
    const text = logs.lines.join('\n');
    expect(logs.lines).toHaveLength(3);
    for (const leak of [
      CANARY,
      '203.0.113.77',
      '198.51.100.23',
      '192.0.2.55',
      'Mozilla',
      'token=',
      'remoteAddress',
      'userAgent',
      'user-agent',
      'headers',
      'hostname":"example',
    ]) {
      expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
    }
  });

  it('logs an unexpected error by class and stack frames, not request data', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/test/fail?who=${CANARY}`,
      headers: identifying,
    });
    expect(res.statusCode).toBe(500);
    const entries = logs.entries();
    const failure = entries.find((e) => e.msg === 'request failed');
    expect(failure).toMatchObject({
      level: 50,
      err: { type: 'TypeError', message: 'lookup failed' },
    });
    expect(entries.find((e) => e.msg === 'request completed')).toMatchObject({
      res: { statusCode: 500 },
    });
    expect(logs.lines.join('\n')).not.toContain(CANARY);
  });

  it('uses our own request ids, not one the client sent', async () => {
    await app.inject({ method: 'GET', url: routes.health.path, headers: identifying });
    const [entry] = logs.entries();
    expect(entry?.reqId).toMatch(/^req-/);
  });
});
