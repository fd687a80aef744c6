import { defineRoute, routes } from '@haven/contracts';
import { z } from 'zod';
import { ApiError, createApiClient } from './client';

interface Sent {
  url: string;
  init: RequestInit | undefined;
}

/** A stand-in for the browser's fetch that records calls and answers with a fixed response. */
function answering(respond: () => Response): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake = (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: input instanceof Request ? input.url : input.toString(), init });
    return Promise.resolve(respond());
  };
  return { fetch: fake, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

// A route shaped like the case routes to come: path parameter, query, body.
const setStatus = defineRoute({
  method: 'POST',
  path: '/api/cases/:code/status',
  tag: 'test',
  summary: 'test route',
  params: z.object({ code: z.string() }),
  query: z.object({ dryRun: z.boolean().optional() }),
  body: z.object({ status: z.enum(['open', 'closed']) }),
  response: z.object({ code: z.string(), status: z.enum(['open', 'closed']) }),
});

describe('createApiClient', () => {
  it('sends JSON to the filled path and returns the validated answer', async () => {
    const { fetch, sent } = answering(() =>
      json(200, { code: 'K7 P/2', status: 'closed', extra: 1 }),
    );
    const client = createApiClient({ fetch });

    const result = await client.request(setStatus, {
      params: { code: 'K7 P/2' },
      query: { dryRun: true },
      body: { status: 'closed' },
    });

    expect(result).toEqual({ code: 'K7 P/2', status: 'closed' });
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('/api/cases/K7%20P%2F2/status?dryRun=true');
    expect(sent[0].init?.method).toBe('POST');
    expect(sent[0].init?.body).toBe('{"status":"closed"}');
    expect(sent[0].init?.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'x-haven-csrf': '1',
    });
    expect(sent[0].init?.credentials).toBe('same-origin');
    expect(sent[0].init?.cache).toBe('no-store');
  });

  it('calls a registry route with no body, no content type and no query', async () => {
    const { fetch, sent } = answering(() => json(200, { status: 'ok' }));
    const client = createApiClient({ fetch, baseUrl: 'http://127.0.0.1:3000' });

    await expect(client.request(routes.health)).resolves.toEqual({ status: 'ok' });
    expect(sent[0].url).toBe('http://127.0.0.1:3000/api/health');
    expect(sent[0].init?.method).toBe('GET');
    expect(sent[0].init?.body).toBeUndefined();
    expect(sent[0].init?.headers).toEqual({ Accept: 'application/json' });
  });

  it('refuses to call a path with a missing parameter', async () => {
    const { fetch, sent } = answering(() => json(200, {}));
    await expect(
      createApiClient({ fetch }).request(setStatus, { params: { code: '' } }),
    ).rejects.toThrow('missing path parameter "code"');
    expect(sent).toHaveLength(0);
  });

  it('turns an error answer into an ApiError with the message and field errors', async () => {
    const { fetch } = answering(() =>
      json(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [{ path: 'body.status', message: 'Invalid option' }],
      }),
    );
    const error = await createApiClient({ fetch })
      .request(setStatus, { params: { code: 'K7P2' }, body: { status: 'open' } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      message: 'Validation failed',
      fields: [{ path: 'body.status', message: 'Invalid option' }],
    });
  });

  it('falls back to the HTTP status when the error has no error body', async () => {
    const { fetch } = answering(() => new Response('<html>bad gateway</html>', { status: 502 }));
    const error = await createApiClient({ fetch })
      .request(routes.health)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ApiError', status: 502, message: 'HTTP 502', fields: [] });
  });

  it('rejects an answer that does not match the route schema', async () => {
    const { fetch } = answering(() => json(200, { status: 'degraded' }));
    const error = await createApiClient({ fetch })
      .request(routes.health)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'ApiError',
      status: 0,
      message: 'unexpected answer from GET /api/health',
    });
  });

  it('rejects a success answer that is not JSON', async () => {
    const { fetch } = answering(
      () => new Response('ok', { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    await expect(createApiClient({ fetch }).request(routes.health)).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('sends the CSRF header on every unsafe method, even without a body', async () => {
    const { fetch, sent } = answering(() => new Response(null, { status: 204 }));
    await createApiClient({ fetch }).request(routes.logout);
    expect(sent[0].init?.headers).toEqual({ Accept: 'application/json', 'x-haven-csrf': '1' });
  });

  it('carries the error code and tells listeners about every 401', async () => {
    const { fetch } = answering(() =>
      json(401, {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Your session is locked',
        code: 'SESSION_LOCKED',
      }),
    );
    const client = createApiClient({ fetch });
    const heard: ApiError[] = [];
    const stop = client.onUnauthorized((e, route) => {
      expect(route).toBe(routes.me);
      heard.push(e);
    });
    const error = await client.request(routes.me).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'SESSION_LOCKED' });
    expect(heard).toEqual([error]);
    stop();
    await client.request(routes.me).catch(() => undefined);
    expect(heard).toHaveLength(1);
  });
});
