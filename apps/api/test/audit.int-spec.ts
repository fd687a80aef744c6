import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { initCrypto, verifyAuditCheckpoint } from '@haven/crypto';
import { CHECKPOINT_EVERY } from '../src/audit/audit-append';
import { verifyAuditRows, type AuditEventRow } from '../src/audit/audit-chain';
import { AuditLogKey } from '../src/audit/audit-log-key';
import { AuditService } from '../src/audit/audit.service';
import { verifyAuditLog } from '../src/audit/audit-verifier';
import {
  scratchDatabase,
  startTestApp,
  testConfig,
  withClient,
  type ScratchDatabase,
} from './support/test-app';

const ACTOR = { id: '5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11', role: 'coordinator' as const };

async function allRows(url: string): Promise<AuditEventRow[]> {
  return withClient(
    url,
    async (c) => (await c.query<AuditEventRow>('SELECT * FROM audit_event ORDER BY seq')).rows,
  );
}

describe('audit log: append-only hash chain', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let audit: AuditService;
  let dataSource: DataSource;

  beforeAll(async () => {
    // A database of its own: the test tampers with the log as a superuser.
    db = await scratchDatabase();
    app = await startTestApp({ config: { ...testConfig(), databaseUrl: db.url } });
    audit = app.get(AuditService);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('appends events inside the caller transaction, chained from the genesis', async () => {
    await dataSource.transaction(async (m) => {
      await audit.record(m, {
        actor: ACTOR,
        action: 'case.read',
        target: 'K7M3-QX9P',
        outcome: 'ok',
      });
      await audit.record(m, { actor: null, action: 'intake.submit', outcome: 'ok' });
    });
    const rows = await allRows(db.url);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
    expect(rows[0]).toMatchObject({
      actor: ACTOR.id,
      role: 'coordinator',
      action: 'case.read',
      target: 'K7M3-QX9P',
    });
    expect(Buffer.compare(rows[1].prev_hash, rows[0].hash)).toBe(0);
    expect(verifyAuditRows(rows)).toMatchObject({ ok: true, count: 2, headSeq: 2 });
  });

  it('records the minute (UTC) of staff activity and only the day of anonymous intake', async () => {
    const [staff, intake] = await allRows(db.url);
    expect(staff.time_utc).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(intake).toMatchObject({ action: 'intake.submit', time_utc: null });
  });

  it('rolls back with the action it describes', async () => {
    const before = (await allRows(db.url)).length;
    await expect(
      dataSource.transaction(async (m) => {
        await audit.record(m, {
          actor: ACTOR,
          action: 'case.update',
          target: 'K7M3-QX9P',
          outcome: 'ok',
        });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect((await allRows(db.url)).length).toBe(before);
  });

  it('refuses to append outside a transaction and refuses malformed actions', async () => {
    await expect(
      audit.record(dataSource.manager, { actor: null, action: 'auth.login', outcome: 'ok' }),
    ).rejects.toThrow(/inside a transaction/);
    await expect(audit.recordNow({ actor: null, action: 'Login!', outcome: 'ok' })).rejects.toThrow(
      /bad audit action/,
    );
    await expect(
      audit.recordNow({ actor: null, action: 'auth.login', outcome: 'denied: x' }),
    ).rejects.toThrow(/bad audit outcome/);
  });

  it('keeps one gapless chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        audit.recordNow({ actor: ACTOR, action: 'case.read', target: `CASE-${i}`, outcome: 'ok' }),
      ),
    );
    const rows = await allRows(db.url);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(verifyAuditRows(rows)).toMatchObject({ ok: true, count: rows.length });
  });

  it(`stores a checkpoint signed with the log key every ${CHECKPOINT_EVERY} events`, async () => {
    await initCrypto();
    const before = (await allRows(db.url)).length;
    await dataSource.transaction(async (m) => {
      for (let i = before; i < CHECKPOINT_EVERY + 1; i++) {
        await audit.record(m, { actor: ACTOR, action: 'case.read', target: 'BULK', outcome: 'ok' });
      }
    });
    const checkpoints = await withClient(db.url, async (c) => {
      const { rows } = await c.query<{
        seq: string;
        head: Buffer;
        signature: Buffer;
        public_key: Buffer;
      }>('SELECT seq, head, signature, public_key FROM audit_checkpoint ORDER BY seq');
      return rows;
    });
    expect(checkpoints.map((r) => Number(r.seq))).toEqual([CHECKPOINT_EVERY]);
    const [row] = checkpoints;
    const event = (await allRows(db.url))[CHECKPOINT_EVERY - 1];
    expect(Buffer.compare(row.head, event.hash)).toBe(0);
    const logKey = app.get(AuditLogKey);
    expect(Buffer.compare(row.public_key, Buffer.from(logKey.publicKey))).toBe(0);
    expect(() =>
      verifyAuditCheckpoint(
        {
          seq: CHECKPOINT_EVERY,
          head: new Uint8Array(row.head),
          signature: new Uint8Array(row.signature),
        },
        logKey.publicKey,
      ),
    ).not.toThrow();
  });

  it('verifies the whole log in batches (the verifier behind npm run audit:verify)', async () => {
    const result = await withClient(db.url, (c) => verifyAuditLog((sql, p) => c.query(sql, p)));
    expect(result).toMatchObject({ ok: true, count: (await allRows(db.url)).length });
  });

  it('appends many events under one lock, with the checkpoint that falls among them', async () => {
    const before = (await allRows(db.url)).length;
    const many = Array.from({ length: CHECKPOINT_EVERY }, (_, i) =>
      i % 2
        ? { actor: null, action: 'intake.submit', outcome: 'ok' }
        : { actor: ACTOR, action: 'case.read', target: `MANY-${i}`, outcome: 'ok' },
    );
    // Alongside single appends of other transactions: the chain stays one line.
    await Promise.all([
      dataSource.transaction((m) => audit.recordMany(m, many)),
      ...Array.from({ length: 5 }, (_, i) =>
        audit.recordNow({ actor: ACTOR, action: 'case.read', target: `ONE-${i}`, outcome: 'ok' }),
      ),
      dataSource.transaction((m) => audit.recordMany(m, [])),
    ]);
    const rows = await allRows(db.url);
    expect(rows).toHaveLength(before + CHECKPOINT_EVERY + 5);
    expect(verifyAuditRows(rows)).toMatchObject({ ok: true, count: rows.length });
    const batch = rows.filter((r) => r.target?.startsWith('MANY-') || r.action === 'intake.submit');
    expect(batch.filter((r) => r.action === 'case.read').every((r) => r.time_utc !== null)).toBe(
      true,
    );
    expect(
      batch.filter((r) => r.action === 'intake.submit').every((r) => r.time_utc === null),
    ).toBe(true);
    // The batch's events are consecutive: nothing of another transaction between them.
    const many0 = rows.findIndex((r) => r.target === 'MANY-0');
    expect(rows.slice(many0, many0 + CHECKPOINT_EVERY).map((r) => r.target)).toEqual(
      many.map((e) => e.target ?? null),
    );
    const checkpoints = await withClient(db.url, async (c) => {
      const { rows: found } = await c.query<{ seq: string; head: Buffer }>(
        'SELECT seq, head FROM audit_checkpoint ORDER BY seq',
      );
      return found;
    });
    expect(checkpoints.map((r) => Number(r.seq))).toEqual([CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY]);
    const second = rows[2 * CHECKPOINT_EVERY - 1];
    expect(Buffer.compare(checkpoints[1].head, second.hash)).toBe(0);
    await expect(
      dataSource.transaction((m) =>
        audit.recordMany(m, [
          { actor: null, action: 'intake.submit', outcome: 'ok' },
          { actor: null, action: 'Bad!', outcome: 'ok' },
        ]),
      ),
    ).rejects.toThrow(/bad audit action/);
    expect(await allRows(db.url)).toHaveLength(rows.length);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await withClient(db.url, async (c) => {
      await expect(c.query(`UPDATE audit_event SET outcome = 'ok' WHERE seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(c.query(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(c.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
      await expect(c.query(`UPDATE audit_checkpoint SET seq = 2`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/append-only/);
      await expect(c.query(`TRUNCATE audit_checkpoint`)).rejects.toThrow(/append-only/);
    });
  });

  it('gives the application role INSERT but not UPDATE, DELETE or TRUNCATE', async () => {
    const asApp = new pg.Client({ connectionString: db.url, options: '-c role=haven_app' });
    await asApp.connect();
    try {
      expect((await asApp.query('SELECT current_user AS u')).rows[0]).toEqual({ u: 'haven_app' });
      await expect(asApp.query(`UPDATE audit_event SET outcome = 'ok'`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApp.query(`DELETE FROM audit_event`)).rejects.toThrow(/permission denied/);
      await expect(asApp.query(`TRUNCATE audit_event`)).rejects.toThrow(/permission denied/);
      await expect(asApp.query(`ALTER TABLE audit_event DISABLE TRIGGER ALL`)).rejects.toThrow(
        /must be owner/,
      );
      // Checkpoints: the same rights (the API inserts them; nothing else).
      await expect(asApp.query(`UPDATE audit_checkpoint SET created_on = now()`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApp.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApp.query(`TRUNCATE audit_checkpoint`)).rejects.toThrow(/permission denied/);
    } finally {
      await asApp.end();
    }
    // The API's own pool runs as that role.
    const rows = await dataSource.query<{ u: string }[]>('SELECT current_user AS u');
    expect(rows[0]?.u).toBe('haven_app');
  });

  it('names the first altered event when a superuser edits the log behind the triggers', async () => {
    await withClient(db.url, async (c: pg.Client) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
      await c.query(`UPDATE audit_event SET outcome = 'denied:tampered' WHERE seq = 3`);
      await c.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
      await c.query('COMMIT');
    });
    expect(verifyAuditRows(await allRows(db.url))).toEqual({
      ok: false,
      brokenAtSeq: 3,
      reason: 'hash',
    });
  });

  it('names an event whose minute was changed or blanked', async () => {
    const rows = await allRows(db.url);
    const timed = rows.find((r) => r.time_utc !== null && Number(r.seq) > 3);
    if (!timed) throw new Error('no timed event to alter');
    const altered = rows.map((r) =>
      r.seq === timed.seq ? { ...r, time_utc: r.time_utc === '03:00' ? '03:01' : '03:00' } : r,
    );
    const blanked = rows.map((r) => (r.seq === timed.seq ? { ...r, time_utc: null } : r));
    // Event 3 is already broken above: verify from the event after it.
    const from = { seq: 3, head: new Uint8Array(rows[2].hash) };
    const after = (list: AuditEventRow[]) => list.filter((r) => Number(r.seq) > 3);
    expect(verifyAuditRows(after(rows), from)).toMatchObject({ ok: true });
    for (const list of [altered, blanked]) {
      expect(verifyAuditRows(after(list), from)).toEqual({
        ok: false,
        brokenAtSeq: Number(timed.seq),
        reason: 'hash',
      });
    }
  });

  it('names a deleted event as a gap', async () => {
    const rows = (await allRows(db.url)).filter((r) => Number(r.seq) !== 5);
    expect(verifyAuditRows(rows)).toEqual({ ok: false, brokenAtSeq: 5, reason: 'gap' });
  });
});
