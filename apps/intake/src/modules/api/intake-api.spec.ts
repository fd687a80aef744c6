import { fetchIntakeKey, type Fetch, INTAKE_PATHS, postSealed, readThread } from './intake-api';

interface Call {
  url: string;
  init: RequestInit;
}

/** A stand-in for the network: answers from a script and records every request. */
function network(answers: (Response | Error)[]): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const noWait = async () => undefined;

const body = {
  envelope: 'AQQ',
  lookupId: '00'.repeat(16),
  replyPublicKey: 'A'.repeat(43),
  urgency: 'routine' as const,
  keyVersion: 1,
};

describe('intake API client', () => {
  it('sends no cookies, no referrer, nothing cacheable, and follows no redirect', async () => {
    const net = network([json(200, { intakePublicKey: 'a', signature: 'b', rootPublicKey: 'c' })]);
    await fetchIntakeKey({ fetch: net.fetch });
    expect(net.calls[0].url).toBe('/api/intake/key');
    expect(net.calls[0].init).toMatchObject({
      method: 'GET',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      mode: 'same-origin',
    });
  });

  it('reads a thread with the lookup id in the body, not the URL', async () => {
    const net = network([json(200, { messages: [] })]);
    const result = await readThread('ab'.repeat(16), { fetch: net.fetch });
    expect(result).toEqual({ ok: true, value: { messages: [] } });
    expect(net.calls[0].url).toBe(INTAKE_PATHS.thread);
    expect(net.calls[0].init.body).toBe(JSON.stringify({ lookupId: 'ab'.repeat(16) }));
  });

  it('refuses answers of the wrong shape', async () => {
    const bad = [
      { messages: [{ direction: 'sideways', sentOn: '2026-01-01', envelope: null }] },
      { messages: [{ direction: 'from_staff', sentOn: 'yesterday', envelope: null }] },
      { messages: 'none' },
    ];
    for (const answer of bad) {
      const net = network([json(200, answer)]);
      expect(await readThread('ab'.repeat(16), { fetch: net.fetch })).toEqual({
        ok: false,
        problem: { kind: 'server' },
      });
    }
    const net = network([json(200, { intakePublicKey: 'a+b' })]);
    expect((await fetchIntakeKey({ fetch: net.fetch })).ok).toBe(false);
  });

  it('retries the same bytes with the same key after a network error or a 5xx', async () => {
    const net = network([
      new TypeError('offline'),
      json(502, {}),
      json(201, { status: 'received' }),
    ]);
    const result = await postSealed(INTAKE_PATHS.submit, body, 'key-1234567890abcdef', {
      fetch: net.fetch,
      sleep: noWait,
    });
    expect(result).toEqual({ ok: true, value: true });
    expect(net.calls).toHaveLength(3);
    for (const call of net.calls) {
      expect(call.init.body).toBe(JSON.stringify(body));
      expect(call.init.headers).toEqual({
        'content-type': 'application/json',
        'idempotency-key': 'key-1234567890abcdef',
      });
    }
  });

  it('gives up after three attempts, and does not retry what a retry cannot cure', async () => {
    const down = network([json(500, {}), json(500, {}), json(500, {})]);
    expect(
      await postSealed(INTAKE_PATHS.submit, body, 'k'.repeat(22), {
        fetch: down.fetch,
        sleep: noWait,
      }),
    ).toEqual({ ok: false, problem: { kind: 'server' } });
    expect(down.calls).toHaveLength(3);

    for (const [status, kind] of [
      [429, 'throttled'],
      [413, 'too_large'],
      [400, 'refused'],
      [409, 'refused'],
      [503, 'unavailable'],
    ] as const) {
      const net = network([json(status, {})]);
      expect(
        await postSealed(INTAKE_PATHS.submit, body, 'k'.repeat(22), {
          fetch: net.fetch,
          sleep: noWait,
        }),
      ).toEqual({ ok: false, problem: { kind } });
      expect(net.calls).toHaveLength(1);
    }
  });

  it('reports a network failure as offline', async () => {
    const net = network([new TypeError('Failed to fetch')]);
    expect(await fetchIntakeKey({ fetch: net.fetch })).toEqual({
      ok: false,
      problem: { kind: 'offline' },
    });
  });
});
