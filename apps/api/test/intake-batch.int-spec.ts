import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import { fromBase64, initCrypto } from '@haven/crypto';
import { verifyAuditRows, type AuditEventRow } from '../src/audit/audit-chain';
import { IntakeSubmissionBatcher, type PendingSubmission } from '../src/intake/intake-batcher';
import { idempotencyKeyHash, requestHash, utcDay } from '../src/intake/intake-codec';
import {
  newIdempotencyKey,
  seedOrganisation,
  sealForm,
  type SealedSubmission,
  type TestIntakeOrg,
} from './intake-fixtures';
import {
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  withClient,
} from './support/test-app';

/** What IntakeService.submit hands the batcher for a sealed form and an Idempotency-Key. */
function pending(sealed: SealedSubmission, key: string): PendingSubmission {
  const envelope = Buffer.from(fromBase64(sealed.body.envelope));
  const lookupId = Buffer.from(sealed.body.lookupId, 'hex');
  const replyPublicKey = Buffer.from(fromBase64(sealed.body.replyPublicKey));
  return {
    keyHash: idempotencyKeyHash('submission', key),
    fingerprint: requestHash('submission', envelope, lookupId, replyPublicKey, sealed.body.urgency),
    day: utcDay(),
    lookupId,
    replyPublicKey,
    envelope,
    urgency: sealed.body.urgency,
    keyVersion: sealed.body.keyVersion,
  };
}

// Batches share the audit log and the intake tables, so this file has a database of its own.
describe('batched intake submissions', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let replica: NestFastifyApplication;
  let org: TestIntakeOrg;
  let batcher: IntakeSubmissionBatcher;
  let address = 0;

  beforeAll(async () => {
    await initCrypto();
    db = await scratchDatabase();
    const config = { databaseUrl: db.url, intakeRateLimit: 1000 };
    app = await startTestApp({ config });
    // A second API process on the same database: its batches take the same lock.
    replica = await startTestApp({ config });
    org = await seedOrganisation(db.url);
    batcher = app.get(IntakeSubmissionBatcher);
  });

  afterAll(async () => {
    await replica.close();
    await app.close();
    await db.drop();
  });

  const submit = (target: NestFastifyApplication, body: unknown, key: string) =>
    target.inject({
      method: 'POST',
      url: routes.submitIntake.path,
      payload: JSON.stringify(body),
      remoteAddress: `198.51.100.${(address = (address % 250) + 1)}`,
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });

  const query = <T>(sql: string, params: unknown[] = []) =>
    withClient(db.url, async (c) => (await c.query(sql, params)).rows as T[]);

  const counts = async () =>
    (
      await query<{ submissions: number; threads: number; keys: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM intake_submission) AS submissions,
                (SELECT count(*)::int FROM intake_thread) AS threads,
                (SELECT count(*)::int FROM intake_idempotency) AS keys,
                (SELECT count(*)::int FROM audit_event) AS audit`,
      )
    )[0];

  /** The whole log: gapless from 1 and every link verifies. */
  const expectIntactChain = async () => {
    const rows = await query<AuditEventRow>('SELECT * FROM audit_event ORDER BY seq');
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(verifyAuditRows(rows)).toMatchObject({ ok: true, count: rows.length });
    return rows;
  };

  it('gives each of many concurrent submissions its own answer, in one transaction, with one event each', async () => {
    // Two stored earlier, on their own: one to replay, one whose key is reused for another form.
    const earlier = sealForm(org, { happened: 'earlier' });
    const earlierKey = newIdempotencyKey();
    const reused = sealForm(org, { happened: 'reused key' });
    const reusedKey = newIdempotencyKey();
    expect((await submit(app, earlier.body, earlierKey)).statusCode).toBe(201);
    expect((await submit(app, reused.body, reusedKey)).statusCode).toBe(201);
    const before = await counts();

    const fresh = Array.from({ length: 30 }, (_, i) => {
      const sealed = sealForm(org, { happened: `fresh ${i}` }, i % 3 ? 'urgent' : 'critical');
      return { sealed, key: newIdempotencyKey() };
    });
    // A second form under the code of fresh[3], with its own key: joins that thread.
    const sameCode = sealForm(org, { happened: 'same code' }, 'routine', fresh[3].sealed.code);
    const malformed = pending(sealForm(org, { happened: 'refused by the database' }), 'mal');
    // Passes the API's decoding but not the table's check: only this one must fail.
    malformed.urgency = 'whenever' as PendingSubmission['urgency'];
    // A field of the wrong size never reaches the database (it would shift the packed rows).
    const short = Buffer.alloc(15, 7);

    // All queued in one turn of the event loop, so they share a batch (duplicates excepted).
    const answers = await Promise.allSettled([
      ...fresh.map((f) => batcher.submit(pending(f.sealed, f.key))),
      batcher.submit(pending(fresh[0].sealed, fresh[0].key)), // same key, same form: a replay
      batcher.submit(pending(fresh[0].sealed, fresh[0].key)),
      batcher.submit(pending(sealForm(org, { happened: 'other' }), fresh[1].key)), // conflict
      batcher.submit(pending(sameCode, newIdempotencyKey())),
      batcher.submit(malformed),
      batcher.submit({
        ...pending(sealForm(org, { happened: 'short' }), 'short'),
        lookupId: short,
      }),
      batcher.submit(pending(earlier, earlierKey)), // replay of an earlier request
      batcher.submit(pending(sealForm(org, { happened: 'again' }), reusedKey)), // conflict
      // Sealed to an intake key that is not the current one: refused alone, nothing written.
      batcher.submit({
        ...pending(sealForm(org, { happened: 'stale key' }), newIdempotencyKey()),
        keyVersion: 99,
      }),
    ]);
    const outcome = (a: PromiseSettledResult<string>) =>
      a.status === 'fulfilled'
        ? a.value
        : ((a.reason as { getStatus?: () => number }).getStatus?.() ??
          (a.reason as Error).constructor.name);
    expect(answers.map(outcome)).toEqual([
      ...fresh.map(() => 'stored'),
      'replay',
      'replay',
      409,
      'stored',
      'QueryFailedError',
      'Error',
      'replay',
      409,
      409,
    ]);

    const after = await counts();
    expect(after).toEqual({
      submissions: before.submissions + 31,
      threads: before.threads + 30,
      keys: before.keys + 31,
      audit: before.audit + 31,
    });
    // Nothing of the refused submission, no duplicates of the replayed ones.
    const perCode = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM intake_submission
       WHERE lookup_id = ANY($1::bytea[]) GROUP BY lookup_id ORDER BY 1`,
      [[...fresh.map((f) => Buffer.from(f.sealed.body.lookupId, 'hex')), malformed.lookupId]],
    );
    expect(perCode.map((r) => r.n)).toEqual([...Array<number>(29).fill(1), 2]);
    expect(
      await query('SELECT 1 FROM intake_idempotency WHERE key_hash = $1', [malformed.keyHash]),
    ).toEqual([]);

    // One append for the batch: its 31 events were written by one statement (one xmin); the
    // submissions went through savepoints (subtransactions), one each after the refused row.
    const events = await query<{ action: string; time_utc: string | null; n: number }>(
      `SELECT action, time_utc, count(*)::int AS n FROM audit_event WHERE seq > $1
       GROUP BY action, time_utc, xmin::text`,
      [before.audit],
    );
    expect(events).toEqual([{ action: 'intake.submit', time_utc: null, n: 31 }]);
    await expectIntactChain();
  });

  it('keeps the chain gapless and answers right under concurrent HTTP load on two replicas', async () => {
    const before = await counts();
    const forms = Array.from({ length: 40 }, (_, i) => ({
      sealed: sealForm(org, { happened: `load ${i}` }),
      key: newIdempotencyKey(),
    }));
    const retried = forms[0];
    const responses = await Promise.all([
      ...forms.map((f, i) => submit(i % 2 ? replica : app, f.sealed.body, f.key)),
      // Retries of the first form on both replicas, and its key reused for another form.
      ...Array.from({ length: 6 }, (_, i) =>
        submit(i % 2 ? replica : app, retried.sealed.body, retried.key),
      ),
      submit(replica, sealForm(org, { happened: 'not the same' }).body, retried.key),
    ]);
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.slice(1, 40)).toEqual(Array<number>(39).fill(201));
    // One request per key is stored: the first form and its retries get 201 and the other
    // form 409, or (had the other form won the race) the other way round.
    const sameKey = [statuses[0], ...statuses.slice(40)].join(',');
    expect(['201,201,201,201,201,201,201,409', '409,409,409,409,409,409,409,201']).toContain(
      sameKey,
    );
    const after = await counts();
    expect(after).toEqual({
      submissions: before.submissions + 40,
      threads: before.threads + 40,
      keys: before.keys + 40,
      audit: before.audit + 40,
    });
    await expectIntactChain();
  });

  it('writes a batch without refusals with one statement and one audit append', async () => {
    const before = await counts();
    const forms = Array.from({ length: 20 }, (_, i) => sealForm(org, { happened: `quiet ${i}` }));
    const answers = await Promise.all(
      forms.map((f) => batcher.submit(pending(f, newIdempotencyKey()))),
    );
    expect(answers).toEqual(forms.map(() => 'stored'));
    const writers = await query<{ rows: number; events: number }>(
      `SELECT (SELECT count(DISTINCT xmin::text)::int FROM intake_submission
               WHERE lookup_id = ANY($1::bytea[])) AS rows,
              (SELECT count(DISTINCT xmin::text)::int FROM audit_event WHERE seq > $2) AS events`,
      [forms.map((f) => Buffer.from(f.body.lookupId, 'hex')), before.audit],
    );
    expect(writers[0]).toEqual({ rows: 1, events: 1 });
    expect((await counts()).audit).toBe(before.audit + 20);
    await expectIntactChain();
  });
});
