import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import {
  checkIntakeEnvelope,
  fromBase64,
  initCrypto,
  openIntakeSubmission,
  openReply,
  sealReply,
  toBase64,
  utf8Decode,
  utf8Encode,
  verifyIntakeKey,
} from '@haven/crypto';
import {
  newIdempotencyKey,
  seedOrganisation,
  sealForm,
  type TestIntakeOrg,
} from './intake-fixtures';
import {
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  withClient,
} from './support/test-app';

// The organisation row is global to a database, so the intake gets a database of its own.
describe('anonymous intake API', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let org: TestIntakeOrg;
  let address = 0;

  /** Each test sends from its own address, so the throttle of one never affects another. */
  const nextAddress = () => `198.51.100.${(address += 1)}`;

  beforeAll(async () => {
    await initCrypto();
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url, intakeRateLimit: 1000 } });
    org = await seedOrganisation(db.url);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const count = (table: string) =>
    withClient(db.url, async (c) => {
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0].n;
    });

  const counts = async () => ({
    submissions: await count('intake_submission'),
    threads: await count('intake_thread'),
    messages: await count('intake_message'),
    keys: await count('intake_idempotency'),
    audit: await count('audit_event'),
  });

  const post = (
    url: string,
    payload: unknown,
    opts: { key?: string | null; from?: string; headers?: Record<string, string> } = {},
  ) =>
    app.inject({
      method: 'POST',
      url,
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      remoteAddress: opts.from ?? nextAddress(),
      headers: {
        'content-type': 'application/json',
        ...(opts.key === null ? {} : { 'idempotency-key': opts.key ?? newIdempotencyKey() }),
        ...opts.headers,
      },
    });

  const submit = (body: unknown, opts: Parameters<typeof post>[2] = {}) =>
    post(routes.submitIntake.path, body, opts);

  describe('GET /api/intake/key', () => {
    it('hands out the intake key with the root signature, which verifies', async () => {
      const res = await app.inject({ method: 'GET', url: routes.intakeKey.path });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        intakePublicKey: string;
        signature: string;
        rootPublicKey: string;
      }>();
      expect(fromBase64(body.intakePublicKey)).toEqual(org.intake.publicKey);
      expect(fromBase64(body.rootPublicKey)).toEqual(org.root.publicKey);
      expect(() =>
        verifyIntakeKey(
          fromBase64(body.intakePublicKey),
          fromBase64(body.signature),
          org.root.publicKey,
        ),
      ).not.toThrow();
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('POST /api/intake/submissions', () => {
    it('stores the sealed form, its urgency and the day only; the thread gets the reply key', async () => {
      const before = await counts();
      const sealed = sealForm(org, { happened: 'happy path' }, 'critical');
      const res = await submit(sealed.body);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ status: 'received' });
      expect(res.headers['set-cookie']).toBeUndefined();

      const after = await counts();
      expect(after).toEqual({
        ...before,
        submissions: before.submissions + 1,
        threads: before.threads + 1,
        keys: before.keys + 1,
        audit: before.audit + 1,
      });
      await withClient(db.url, async (c) => {
        const { rows } = await c.query<{
          envelope: Buffer;
          urgency: string;
          received_on: string;
          reply_public_key: Buffer;
          case_id: string | null;
        }>(
          `SELECT s.envelope, s.urgency, to_char(s.received_on, 'YYYY-MM-DD') AS received_on,
                  t.reply_public_key, t.case_id
           FROM intake_submission s JOIN intake_thread t USING (lookup_id)
           WHERE lookup_id = $1`,
          [Buffer.from(sealed.keys.lookupId, 'hex')],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0].urgency).toBe('critical');
        expect(rows[0].received_on).toBe(new Date().toISOString().slice(0, 10));
        expect(rows[0].case_id).toBeNull();
        expect(new Uint8Array(rows[0].reply_public_key)).toEqual(sealed.keys.reply.publicKey);
        // What a coordinator will open: the form and the reply key, exactly as sealed.
        const opened = openIntakeSubmission(new Uint8Array(rows[0].envelope), org.intake);
        expect(JSON.parse(utf8Decode(opened.payload))).toEqual({ happened: 'happy path' });
        expect(opened.replyPublicKey).toEqual(sealed.keys.reply.publicKey);

        // Only days: see 'days, never times' below.
        const audit = await c.query(
          `SELECT actor, role, action, target, outcome FROM audit_event ORDER BY seq DESC LIMIT 1`,
        );
        expect(audit.rows[0]).toEqual({
          actor: null,
          role: null,
          action: 'intake.submit',
          target: null,
          outcome: 'ok',
        });
      });
    });

    it('refuses a body over 64 KiB with 413 and stores nothing', async () => {
      const before = await counts();
      const sealed = sealForm(org, { happened: 'x'.repeat(40_000) });
      // 64 KiB bucket: a legitimate envelope, but its JSON body is over the limit.
      expect(checkIntakeEnvelope(fromBase64(sealed.body.envelope))).toBe(65536);
      const res = await submit(sealed.body);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ statusCode: 413, message: 'Request body is too large' });
      const padded = await submit({ ...sealForm(org, { a: 1 }).body, pad: 'p'.repeat(70_000) });
      expect(padded.statusCode).toBe(413);
      expect(await counts()).toEqual(before);
    });

    it('answers 400 to malformed envelopes, bad JSON, missing fields or key, and stores nothing', async () => {
      const before = await counts();
      const good = sealForm(org, { happened: 'malformed cases' }).body;
      const envelope = fromBase64(good.envelope);
      const wrongKind = envelope.slice();
      wrongKind[1] = 0x06;
      const wrongVersion = envelope.slice();
      wrongVersion[0] = 0x02;
      const reply = sealReply(utf8Encode('not an intake'), org.intake.publicKey);

      const cases: [string, unknown, string][] = [
        ['truncated', { ...good, envelope: toBase64(envelope.subarray(1)) }, 'body.envelope'],
        ['wrong kind', { ...good, envelope: toBase64(wrongKind) }, 'body.envelope'],
        ['wrong version', { ...good, envelope: toBase64(wrongVersion) }, 'body.envelope'],
        ['a reply envelope', { ...good, envelope: toBase64(reply) }, 'body.envelope'],
        ['not base64url', { ...good, envelope: 'AQQ+/w==' }, 'body.envelope'],
        ['non-canonical base64url', { ...good, envelope: `${good.envelope}B` }, 'body.envelope'],
        ['an empty envelope', { ...good, envelope: '' }, 'body.envelope'],
        ['unknown urgency', { ...good, urgency: 'whenever' }, 'body.urgency'],
        [
          'uppercase lookup id',
          { ...good, lookupId: good.lookupId.toUpperCase() },
          'body.lookupId',
        ],
        [
          'short reply key',
          { ...good, replyPublicKey: good.replyPublicKey.slice(1) },
          'body.replyPublicKey',
        ],
        ['missing envelope', { ...good, envelope: undefined }, 'body.envelope'],
        ['no body fields', {}, 'body.envelope'],
      ];
      for (const [name, body, field] of cases) {
        const res = await submit(body);
        const answer = res.json<{ message: string; fields?: { path: string }[] }>();
        expect({ name, status: res.statusCode, message: answer.message }).toEqual({
          name,
          status: 400,
          message: 'Validation failed',
        });
        expect({ name, fields: answer.fields?.map((f) => f.path) }).toEqual({
          name,
          fields: expect.arrayContaining([field]) as string[],
        });
      }

      const badJson = await submit('{"envelope": "AQQ', {});
      expect(badJson.statusCode).toBe(400);
      expect(badJson.json()).toMatchObject({ message: 'Malformed JSON body' });
      expect(badJson.body).not.toContain('AQQ');

      const noKey = await submit(good, { key: null });
      expect(noKey.statusCode).toBe(400);
      expect(noKey.json()).toMatchObject({
        fields: [
          { path: 'headers.idempotency-key', message: 'Idempotency-Key header is required' },
        ],
      });
      const badKey = await submit(good, { key: 'short' });
      expect(badKey.statusCode).toBe(400);

      const text = await app.inject({
        method: 'POST',
        url: routes.submitIntake.path,
        payload: 'envelope=x',
        headers: { 'content-type': 'text/plain', 'idempotency-key': newIdempotencyKey() },
        remoteAddress: nextAddress(),
      });
      expect(text.statusCode).toBe(415);

      expect(await counts()).toEqual(before);
    });

    it('answers a replay (same key, same body) like the first request, storing nothing twice', async () => {
      const before = await counts();
      const sealed = sealForm(org, { happened: 'retried' });
      const key = newIdempotencyKey();
      const first = await submit(sealed.body, { key });
      const second = await submit(sealed.body, { key });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.json()).toEqual(first.json());
      // Concurrent retries too (a flaky connection can send several at once).
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => submit(sealed.body, { key })),
      );
      expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(await counts()).toEqual({
        ...before,
        submissions: before.submissions + 1,
        threads: before.threads + 1,
        keys: before.keys + 1,
        audit: before.audit + 1,
      });
    });

    it('stores exactly one row when the first requests race each other', async () => {
      const before = await counts();
      const sealed = sealForm(org, { happened: 'raced' });
      const key = newIdempotencyKey();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => submit(sealed.body, { key })),
      );
      expect(answers.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
      expect((await counts()).submissions).toBe(before.submissions + 1);
    });

    it('refuses the same key with another body with 409, leaving the first submission alone', async () => {
      const key = newIdempotencyKey();
      const first = sealForm(org, { happened: 'first' });
      expect((await submit(first.body, { key })).statusCode).toBe(201);
      const before = await counts();
      const other = sealForm(org, { happened: 'second' });
      const res = await submit(other.body, { key });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
      // The same envelope with another urgency is another request too.
      const reurged = await submit({ ...first.body, urgency: 'routine' }, { key });
      expect(reurged.statusCode).toBe(409);
      expect(await counts()).toEqual(before);
    });

    it('lets a second form under the same receipt code join its thread', async () => {
      const first = sealForm(org, { happened: 'one' });
      const again = sealForm(org, { happened: 'two' }, 'routine', first.code);
      const before = await counts();
      expect((await submit(first.body)).statusCode).toBe(201);
      expect((await submit(again.body)).statusCode).toBe(201);
      const after = await counts();
      expect(after.submissions).toBe(before.submissions + 2);
      expect(after.threads).toBe(before.threads + 1);
    });
  });

  describe('threads and follow-ups', () => {
    const readThread = (lookupId: string, from?: string) =>
      post(routes.intakeThread.path, { lookupId }, { key: null, from });

    it('answers an unknown lookup id exactly like a known thread without messages', async () => {
      const known = sealForm(org, { happened: 'no replies yet' });
      expect((await submit(known.body)).statusCode).toBe(201);
      const unknown = sealForm(org, { happened: 'never sent' });

      const a = await readThread(known.keys.lookupId);
      const b = await readThread(unknown.keys.lookupId);
      expect(a.statusCode).toBe(200);
      expect(b.statusCode).toBe(200);
      expect(a.body).toBe('{"messages":[]}');
      expect(b.body).toBe(a.body);
      const headers = (h: Record<string, unknown>) =>
        Object.keys(h)
          .filter((k) => k !== 'date')
          .sort()
          .map((k) => `${k}: ${String(k === 'content-length' ? 'n' : h[k])}`);
      expect(headers(b.headers)).toEqual(headers(a.headers));
    });

    it('refuses a malformed lookup id with 400', async () => {
      for (const lookupId of ['', 'xyz', 'ab'.repeat(17), 42]) {
        expect((await readThread(lookupId as string)).statusCode).toBe(400);
      }
    });

    it('carries staff replies the person can open, and their follow-ups in order', async () => {
      const sealed = sealForm(org, { happened: 'two-way' });
      expect((await submit(sealed.body)).statusCode).toBe(201);
      const lookup = Buffer.from(sealed.keys.lookupId, 'hex');
      // A staff reply as the case page will write it (its endpoint comes with triage).
      const reply = sealReply(utf8Encode('We read your message.'), sealed.keys.reply.publicKey);
      await withClient(db.url, (c) =>
        c.query(
          `INSERT INTO intake_message (lookup_id, position, direction, envelope, created_on)
           VALUES ($1, 1, 'from_staff', $2, current_date)`,
          [lookup, Buffer.from(reply)],
        ),
      );

      const followUp = sealForm(org, { followUp: 'Thank you' }, 'routine', sealed.code);
      const before = await counts();
      const sent = await post(routes.intakeFollowUp.path, {
        lookupId: followUp.body.lookupId,
        envelope: followUp.body.envelope,
        replyPublicKey: followUp.body.replyPublicKey,
        keyVersion: 1,
      });
      expect(sent.statusCode).toBe(201);
      expect(sent.json()).toEqual({ status: 'received' });
      expect(await counts()).toEqual({
        ...before,
        messages: before.messages + 1,
        keys: before.keys + 1,
        audit: before.audit + 1,
      });

      const thread = await readThread(sealed.keys.lookupId);
      const { messages } = thread.json<{
        messages: { direction: string; sentOn: string; envelope: string | null }[];
      }>();
      const today = new Date().toISOString().slice(0, 10);
      expect(messages.map((m) => [m.direction, m.sentOn])).toEqual([
        ['from_staff', today],
        ['from_person', today],
      ]);
      expect(messages[1].envelope).toBeNull();
      const opened = openReply(fromBase64(messages[0].envelope ?? ''), sealed.keys.reply);
      expect(utf8Decode(opened)).toBe('We read your message.');

      await withClient(db.url, async (c) => {
        const { rows } = await c.query<{ position: number }>(
          'SELECT position FROM intake_message WHERE lookup_id = $1 ORDER BY position',
          [lookup],
        );
        expect(rows.map((r) => r.position)).toEqual([1, 2]);
        const audit = await c.query('SELECT action FROM audit_event ORDER BY seq DESC LIMIT 1');
        expect(audit.rows[0]).toEqual({ action: 'intake.follow_up' });
      });
    });

    it('numbers concurrent follow-ups to one thread without gaps or duplicates', async () => {
      const sealed = sealForm(org, { happened: 'many follow-ups' });
      expect((await submit(sealed.body)).statusCode).toBe(201);
      const sends = await Promise.all(
        Array.from({ length: 5 }, (_, i) => {
          const f = sealForm(org, { followUp: i }, 'routine', sealed.code).body;
          return post(routes.intakeFollowUp.path, {
            lookupId: f.lookupId,
            envelope: f.envelope,
            replyPublicKey: f.replyPublicKey,
            keyVersion: 1,
          });
        }),
      );
      expect(sends.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      const positions = await withClient(db.url, async (c) =>
        (
          await c.query<{ position: number }>(
            'SELECT position FROM intake_message WHERE lookup_id = $1 ORDER BY position',
            [Buffer.from(sealed.keys.lookupId, 'hex')],
          )
        ).rows.map((r) => r.position),
      );
      expect(positions).toEqual([1, 2, 3, 4, 5]);
    });

    it('receives a follow-up under an unknown code as a new routine submission, with the same answer', async () => {
      const stray = sealForm(org, { followUp: 'did my message arrive?' }, 'routine');
      const before = await counts();
      const key = newIdempotencyKey();
      const body = {
        lookupId: stray.body.lookupId,
        envelope: stray.body.envelope,
        replyPublicKey: stray.body.replyPublicKey,
        keyVersion: 1,
      };
      const res = await post(routes.intakeFollowUp.path, body, { key });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ status: 'received' });
      // Replayed: still one submission.
      expect((await post(routes.intakeFollowUp.path, body, { key })).statusCode).toBe(201);
      expect(await counts()).toEqual({
        ...before,
        submissions: before.submissions + 1,
        threads: before.threads + 1,
        keys: before.keys + 1,
        audit: before.audit + 1,
      });
      const urgency = await withClient(
        db.url,
        async (c) =>
          (
            await c.query<{ urgency: string }>(
              'SELECT urgency FROM intake_submission WHERE lookup_id = $1',
              [Buffer.from(stray.keys.lookupId, 'hex')],
            )
          ).rows,
      );
      expect(urgency).toEqual([{ urgency: 'routine' }]);
    });

    it('refuses a follow-up whose key was used for another follow-up with 409', async () => {
      const sealed = sealForm(org, { happened: 'conflicting follow-ups' });
      expect((await submit(sealed.body)).statusCode).toBe(201);
      const key = newIdempotencyKey();
      const one = sealForm(org, { followUp: 1 }, 'routine', sealed.code).body;
      const two = sealForm(org, { followUp: 2 }, 'routine', sealed.code).body;
      const strip = (b: typeof one) => ({
        lookupId: b.lookupId,
        envelope: b.envelope,
        replyPublicKey: b.replyPublicKey,
        keyVersion: 1,
      });
      expect((await post(routes.intakeFollowUp.path, strip(one), { key })).statusCode).toBe(201);
      const before = await counts();
      expect((await post(routes.intakeFollowUp.path, strip(two), { key })).statusCode).toBe(409);
      expect(await counts()).toEqual(before);
    });
  });

  describe('idempotency keys', () => {
    it('are kept as hashes and purged after a day', async () => {
      const key = newIdempotencyKey();
      expect((await submit(sealForm(org, { happened: 'purge' }).body, { key })).statusCode).toBe(
        201,
      );
      await withClient(db.url, async (c) => {
        const dump = JSON.stringify((await c.query('SELECT * FROM intake_idempotency')).rows);
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(Buffer.from(key).toString('hex'));
        await c.query(
          `INSERT INTO intake_idempotency (key_hash, request_hash, created_on)
           VALUES (decode(repeat('aa', 32), 'hex'), decode(repeat('bb', 32), 'hex'), current_date - 2)`,
        );
      });
      const { IntakeService } = await import('../src/intake/intake.service');
      const service = app.get(IntakeService);
      const today = new Date().toISOString().slice(0, 10);
      expect(await service.purgeIdempotencyKeys(today)).toBe(1);
      expect(await service.purgeIdempotencyKeys(today)).toBe(0);
    });
  });

  describe('days, never times', () => {
    /** Types that hold ids, ciphertext, keys, enums and counters, never a time. */
    const NOT_TEMPORAL = new Set(['bytea', 'text', 'uuid', 'integer', 'smallint', 'boolean']);

    it('keeps every date of the intake tables as a day, and intake audit events without a minute', async () => {
      // Something in every intake table that a person fills: a submission, a follow-up.
      const sealed = sealForm(org, { happened: 'days only' });
      expect((await submit(sealed.body)).statusCode).toBe(201);
      const followUp = sealForm(org, { followUp: 'still days' }, 'routine', sealed.code).body;
      const sent = await post(routes.intakeFollowUp.path, {
        lookupId: followUp.lookupId,
        envelope: followUp.envelope,
        replyPublicKey: followUp.replyPublicKey,
        keyVersion: followUp.keyVersion,
      });
      expect(sent.statusCode).toBe(201);

      await withClient(db.url, async (c) => {
        const { rows: columns } = await c.query<{ t: string; col: string; type: string }>(
          `SELECT table_name AS t, column_name AS col, data_type AS type
           FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name LIKE 'intake\\_%'
           ORDER BY 1, 2`,
        );
        expect(new Set(columns.map((r) => r.t))).toEqual(
          new Set([
            'intake_idempotency',
            'intake_key_grant',
            'intake_key_rotation',
            'intake_key_rotation_grant',
            'intake_key_rotation_row',
            'intake_message',
            'intake_submission',
            'intake_thread',
          ]),
        );
        // Every date/time column is a `date`; every other column is of a type that cannot be
        // read as a moment (a bigint could hold epoch milliseconds, a timestamp the second).
        const temporal = columns.filter((r) => !NOT_TEMPORAL.has(r.type));
        expect(temporal.map((r) => `${r.t}.${r.col}: ${r.type}`)).toEqual(
          temporal.map((r) => `${r.t}.${r.col}: date`),
        );
        expect(temporal.length).toBeGreaterThanOrEqual(4);

        for (const { t, col, type } of columns) {
          const rows = (await c.query<{ v: string | null }>(`SELECT ${col}::text AS v FROM ${t}`))
            .rows;
          if (type === 'date') {
            // The values carry the day and nothing else.
            for (const { v } of rows) if (v !== null) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          } else if (type === 'text') {
            // No text column holds a time of day or a timestamp either.
            for (const { v } of rows)
              expect(v ?? '').not.toMatch(/\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}T/);
          } else if (type === 'integer' || type === 'smallint') {
            // Positions and counters, not seconds since 1970 (10^9 s is September 2001).
            for (const { v } of rows) expect(Number(v ?? 0)).toBeLessThan(1_000_000_000);
          }
        }
        const dated = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM intake_submission s JOIN intake_message m USING (lookup_id)
           WHERE s.received_on = current_date AND m.created_on = current_date`,
        );
        expect(dated.rows[0].n).toBeGreaterThanOrEqual(1);

        // The audit events of anonymous people keep the day only (staff events keep the minute).
        const events = await c.query<{ action: string; minute: string | null }>(
          `SELECT action, time_utc AS minute FROM audit_event WHERE actor IS NULL AND action LIKE 'intake.%'`,
        );
        expect(events.rows.map((e) => e.action)).toEqual(
          expect.arrayContaining(['intake.submit', 'intake.follow_up']),
        );
        expect(events.rows.filter((e) => e.minute !== null)).toEqual([]);
      });
    });
  });
});

describe('anonymous intake before first-run setup', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    await initCrypto();
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url } });
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers 503 with a clear message for the key and for submissions', async () => {
    const key = await app.inject({ method: 'GET', url: routes.intakeKey.path });
    expect(key.statusCode).toBe(503);
    expect(key.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Intake is not open yet: first-run setup has not created the organisation keys.',
    });
    const fakeOrg = {
      root: { publicKey: new Uint8Array(32), privateKey: new Uint8Array(64) },
      intake: { publicKey: new Uint8Array(32).fill(9), privateKey: new Uint8Array(32) },
      signature: new Uint8Array(64),
    };
    const res = await app.inject({
      method: 'POST',
      url: routes.submitIntake.path,
      payload: sealForm(fakeOrg, { happened: 'too early' }).body,
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(res.statusCode).toBe(503);
    const rows = await withClient(db.url, (c) => c.query('SELECT 1 FROM intake_submission'));
    expect(rows.rowCount).toBe(0);
  });
});

describe('intake flood protection', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let org: TestIntakeOrg;

  beforeAll(async () => {
    await initCrypto();
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url, intakeRateLimit: 3 } });
    org = await seedOrganisation(db.url);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const submitFrom = (remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: routes.submitIntake.path,
      payload: sealForm(org, { happened: 'flood' }).body,
      remoteAddress,
      headers: { 'idempotency-key': newIdempotencyKey(), ...headers },
    });

  const submissions = () =>
    withClient(
      db.url,
      async (c) =>
        (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM intake_submission')).rows[0]
          .n,
    );

  it('answers 429 with Retry-After beyond the limit per address, storing nothing more', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // A different X-Forwarded-For each time changes nothing: it is never read.
      const res = await submitFrom('203.0.113.10', { 'x-forwarded-for': `192.0.2.${i}` });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
        expect(res.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    expect(await submissions()).toBe(3);

    // Another address is not affected.
    expect((await submitFrom('203.0.113.11')).statusCode).toBe(201);
    expect(await submissions()).toBe(4);
  });

  it('counts malformed requests too, and lets thread reads through up to five times the limit', async () => {
    const from = '203.0.113.20';
    for (let i = 0; i < 3; i++) {
      const bad = await app.inject({
        method: 'POST',
        url: routes.submitIntake.path,
        payload: { envelope: 'AQQ' },
        remoteAddress: from,
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      expect(bad.statusCode).toBe(400);
    }
    expect((await submitFrom(from)).statusCode).toBe(429);

    const reads: number[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await app.inject({
        method: 'POST',
        url: routes.intakeThread.path,
        payload: { lookupId: 'ab'.repeat(16) },
        remoteAddress: from,
      });
      reads.push(res.statusCode);
    }
    expect(reads.filter((s) => s === 200)).toHaveLength(15);
    expect(reads[15]).toBe(429);
  });
});
