import type { FastifyRequest } from 'fastify';
import { describeError, loggedRoute, serializeRequest } from './logging';

function request(url: string, pattern?: string): FastifyRequest {
  return {
    id: 'req-7',
    method: 'POST',
    url,
    routeOptions: { url: pattern },
    ip: '203.0.113.9',
    headers: { 'user-agent': 'Canary/1.0', 'x-forwarded-for': '198.51.100.1' },
    body: { name: 'canary' },
  } as unknown as FastifyRequest;
}

describe('request serializer', () => {
  it('logs the route pattern, so ids in the path stay out of the logs', () => {
    expect(serializeRequest(request('/api/cases/abc123?q=1', '/api/cases/:id'))).toEqual({
      id: 'req-7',
      method: 'POST',
      route: '/api/cases/:id',
    });
  });

  it('drops the query string of unmatched paths and bounds their length', () => {
    expect(loggedRoute(request('/api/nope?token=secret'))).toBe('/api/nope');
    expect(loggedRoute(request(`/${'a'.repeat(500)}`))).toHaveLength(201);
  });

  it('never includes address, headers, user agent or body', () => {
    const text = JSON.stringify(serializeRequest(request('/x?y=z')));
    for (const leak of ['203.0.113.9', '198.51.100.1', 'Canary', 'canary', 'y=z']) {
      expect(text).not.toContain(leak);
    }
  });
});

describe('describeError', () => {
  it('keeps class, message and stack frames of our own errors', () => {
    const logged = describeError(new TypeError('bad thing'));
    expect(logged.type).toBe('TypeError');
    expect(logged.message).toBe('bad thing');
    expect(logged.stack.split('\n')[0]).toMatch(/^at /);
  });

  it('withholds the text of database errors, which can quote input values', () => {
    const pgError = Object.assign(new Error('invalid input syntax for type uuid: "canary"'), {
      code: '22P02',
    });
    const logged = describeError(pgError);
    expect(logged).toMatchObject({ type: 'Error', code: '22P02' });
    expect(JSON.stringify(logged)).not.toContain('canary');
  });

  it('does not copy other properties of the error (TypeORM attaches query parameters)', () => {
    const err = Object.assign(new Error('boom'), { parameters: ['canary'], query: 'INSERT' });
    expect(JSON.stringify(describeError(err))).not.toContain('canary');
  });
});
