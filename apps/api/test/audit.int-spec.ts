import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { verifyAuditRows, type AuditEventRow } from '../src/audit/audit-chain';
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

  it('verifies the whole log in batches (the verifier behind npm run audit:verify)', async () => {
    const result = await withClient(db.url, (c) => verifyAuditLog((sql, p) => c.query(sql, p)));
    expect(result).toMatchObject({ ok: true, count: (await allRows(db.url)).length });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await withClient(db.url, async (c) => {
      await expect(c.query(`UPDATE audit_event SET outcome = 'ok' WHERE seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(c.query(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(c.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
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

  it('names a deleted event as a gap', async () => {
    const rows = (await allRows(db.url)).filter((r) => Number(r.seq) !== 5);
    expect(verifyAuditRows(rows)).toEqual({ ok: false, brokenAtSeq: 5, reason: 'gap' });
  });
});
