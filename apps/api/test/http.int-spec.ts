import { Controller, Get, Post } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { defineRoute, routes } from '@haven/contracts';
import { z } from 'zod';
import { Policy } from '../src/access/policy.decorator';
import { BodyLimit } from '../src/common/http/body-limit.decorator';
import { Route } from '../src/common/http/route.decorator';
import { CONTENT_SECURITY_POLICY } from '../src/common/http/security-headers';
import { ZodBody, ZodParam, ZodQuery } from '../src/common/validation/zod.decorators';
import { startTestApp } from './support/test-app';

// ---- test-only routes, mounted into the real app -------------------------------------------

const Person = z.object({
  name: z.string().min(1, 'Name is required'),
  age: z.number().int().min(0),
  contact: z.object({ channel: z.enum(['signal', 'phone']) }),
});
const Page = z.object({ page: z.coerce.number().int().min(1) });
const Id = z.object({ id: z.uuid() });

const leaky = defineRoute({
  method: 'GET',
  path: '/api/test/leaky',
  tag: 'test',
  summary: 'returns more than its contract',
  response: z.object({ id: z.string() }),
});
const broken = defineRoute({
  method: 'GET',
  path: '/api/test/broken',
  tag: 'test',
  summary: 'returns something its contract forbids',
  response: z.object({ id: z.string() }),
});

@Controller()
@Policy({ public: true })
class ProbeController {
  @Post('/api/test/people')
  create(@ZodBody(Person) body: z.infer<typeof Person>): z.infer<typeof Person> {
    return body;
  }

  @Get('/api/test/people')
  list(@ZodQuery(Page) query: z.infer<typeof Page>): { page: number } {
    return query;
  }

  @Get('/api/test/people/:id')
  one(@ZodParam(Id) params: z.infer<typeof Id>): { id: string } {
    return params;
  }

  @Post('/api/test/upload')
  @BodyLimit(256 * 1024)
  upload(@ZodBody(z.object({ data: z.string() })) body: { data: string }): { length: number } {
    return { length: body.data.length };
  }

  @Get('/api/test/boom')
  boom(): never {
    throw new Error('connection string postgres://haven:hunter2@db/haven');
  }

  @Route(leaky)
  leaky(): unknown {
    return { id: 'c-1', passwordHash: 'argon2id$secret' };
  }

  @Route(broken)
  broken(): unknown {
    return { id: 42 };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

// ---------------------------------------------------------------------------------------------

const ERROR_500 = { statusCode: 500, error: 'Internal Server Error', message: 'Internal error' };

describe('HTTP behaviour of the real app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ imports: [ProbeModule] });
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

  describe('errors', () => {
    it('answers an unknown route with a 404 JSON body that does not echo the URL', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/nope?token=abc' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });
      expect(res.body).not.toContain('token');
    });

    it('turns an unexpected error into a bare 500: no stack, no detail', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/test/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual(ERROR_500);
      expect(res.body).not.toMatch(/hunter2|postgres|at |\.ts/);
    });

    it('answers a malformed URL with the usual 400 body and headers, without echoing it', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/%zz-canary' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Malformed URL',
      });
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).not.toContain('canary');
    });

    it('refuses a wrong method on a known path with 404', async () => {
      const res = await app.inject({ method: 'DELETE', url: routes.health.path });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('validation', () => {
    it('answers 400 with a message per invalid field', async () => {
      const res = await post(
        '/api/test/people',
        JSON.stringify({ name: '', age: 1.5, contact: { channel: 'fax' } }),
      );
      expect(res.statusCode).toBe(400);
      const body = res.json<{ fields: { path: string; message: string }[] }>();
      expect(body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
      });
      expect(body.fields.map((f) => f.path)).toEqual([
        'body.name',
        'body.age',
        'body.contact.channel',
      ]);
      expect(body.fields[0]).toEqual({ path: 'body.name', message: 'Name is required' });
    });

    it('passes valid input through, without undeclared keys', async () => {
      const res = await post(
        '/api/test/people',
        JSON.stringify({ name: 'A', age: 30, contact: { channel: 'signal' }, isAdmin: true }),
      );
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ name: 'A', age: 30, contact: { channel: 'signal' } });
    });

    it('validates a missing body as a missing object', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/test/people' });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('body');
    });

    it('validates query strings and path parameters', async () => {
      const q = await app.inject({ method: 'GET', url: '/api/test/people?page=zero' });
      expect(q.statusCode).toBe(400);
      expect(q.json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('query.page');
      expect((await app.inject({ method: 'GET', url: '/api/test/people?page=2' })).json()).toEqual({
        page: 2,
      });
      const p = await app.inject({ method: 'GET', url: '/api/test/people/not-a-uuid' });
      expect(p.statusCode).toBe(400);
      expect(p.json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('params.id');
    });
  });

  describe('request bodies', () => {
    it('answers malformed JSON with 400 and does not quote it back', async () => {
      const res = await post('/api/test/people', '{"name": "secret-canary",');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Malformed JSON body',
      });
    });

    it('refuses prototype poisoning with 400', async () => {
      const res = await post('/api/test/people', '{"__proto__": {"isAdmin": true}}');
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toBe('Malformed JSON body');
    });

    it('answers an empty JSON body with 400', async () => {
      const res = await post('/api/test/people', '');
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toBe(
        'Request body is empty but Content-Type is application/json',
      );
    });

    it('refuses bodies over 64 KiB with 413', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(70 * 1024), age: 1, contact: {} });
      const res = await post('/api/test/people', big);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'Request body is too large',
      });
    });

    it('lets a route raise its own limit with @BodyLimit', async () => {
      const res = await post('/api/test/upload', JSON.stringify({ data: 'x'.repeat(100 * 1024) }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ length: 100 * 1024 });
      const tooBig = await post(
        '/api/test/upload',
        JSON.stringify({ data: 'x'.repeat(300 * 1024) }),
      );
      expect(tooBig.statusCode).toBe(413);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'refuses %s bodies with 415 (JSON only; also blocks simple cross-site posts)',
      async (type) => {
        const res = await post('/api/test/people', 'name=a', type);
        expect(res.statusCode).toBe(415);
        expect(res.json()).toEqual({
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: 'Unsupported content type: send application/json',
        });
      },
    );
  });

  describe('response contracts', () => {
    it('strips fields the contract does not declare', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/test/leaky' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id: 'c-1' });
    });

    it('answers 500 when a handler breaks its contract', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/test/broken' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual(ERROR_500);
    });
  });

  describe('security headers', () => {
    const cases: [
      string,
      () => Promise<{ statusCode: number; headers: Record<string, unknown> }>,
    ][] = [
      ['200', () => app.inject({ method: 'GET', url: routes.health.path })],
      [
        '201',
        () =>
          post(
            '/api/test/people',
            JSON.stringify({ name: 'A', age: 1, contact: { channel: 'phone' } }),
          ),
      ],
      ['400', () => post('/api/test/people', '{')],
      ['404', () => app.inject({ method: 'GET', url: '/nowhere' })],
      ['413', () => post('/api/test/people', JSON.stringify({ x: 'y'.repeat(70_000) }))],
      ['415', () => post('/api/test/people', 'x', 'text/plain')],
      ['500', () => app.inject({ method: 'GET', url: '/api/test/boom' })],
    ];

    it.each(cases)('are on %s responses', async (status, send) => {
      const res = await send();
      expect(String(res.statusCode)).toBe(status);
      expect(res.headers).toMatchObject({
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
        'x-frame-options': 'DENY',
      });
      expect(res.headers).not.toHaveProperty('x-powered-by');
      expect(res.headers).not.toHaveProperty('server');
      expect(res.headers).not.toHaveProperty('strict-transport-security');
    });

    it('add HSTS in production', async () => {
      const prod = await startTestApp({ config: { nodeEnv: 'production' } });
      try {
        const res = await prod.inject({ method: 'GET', url: routes.health.path });
        expect(res.headers['strict-transport-security']).toBe(
          'max-age=63072000; includeSubDomains',
        );
      } finally {
        await prod.close();
      }
    });
  });
});
