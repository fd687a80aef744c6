/**
 * Audit-log retention against real PostgreSQL (docs/audit.md "Trimming"): forever by default
 * trims nothing; a period trims exactly the old events up to the latest signed checkpoint
 * before the cutoff and leaves one `audit.trim`; the trimmed log verifies (API and CLI) from its
 * anchor; tampering after the trim is still named by seq; the application role cannot delete,
 * cannot give itself the trigger's permit, cannot write or move the anchor, and an anchor it
 * or a superuser forges fails verification. One scratch database, tests in order.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes, type VerifyAuditResponse } from '@haven/contracts';
import { initCrypto, toBase64 } from '@haven/crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { appendAuditEvents } from '../src/audit/audit-append';
import type { AuditEventRow } from '../src/audit/audit-chain';
import { AuditIntegrityService } from '../src/audit/audit-integrity.service';
import { AuditLogKey } from '../src/audit/audit-log-key';
import { verifyAuditLog } from '../src/audit/audit-verifier';
import { sqlOf } from '../src/audit/audit.service';
import { PurgeService } from '../src/retention/purge.service';
import { call, person, seedStaff, type Person, type TestStaff } from './cases-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';

const WORKSPACE = join(__dirname, '..', '..', '..');
const DAY = 24 * 60 * 60 * 1000;
const SETTINGS = {
  closedCaseDays: 90,
  triagedIntakeDays: 0,
  untriagedIntakeDays: 30,
  expiredPacketDays: 0,
  auditLogDays: null as number | null,
};

let scratch: ScratchDatabase;
let app: NestFastifyApplication;
let db: pg.Client;
let staff: TestStaff;
let auditor: Person;
let logKey: AuditLogKey;
let hashAt5: Buffer;

async function appendOld(n: number, daysAgo: number) {
  await app.get(DataSource).transaction((m) =>
    appendAuditEvents(
      sqlOf(m),
      Array.from({ length: n }, (_, i) => ({
        actor: null,
        action: 'case.read',
        target: `OLD-${daysAgo}-${i}`,
        outcome: 'ok',
      })),
      { now: new Date(Date.now() - daysAgo * DAY), signer: logKey },
    ),
  );
}

async function seqs(): Promise<number[]> {
  const { rows } = await db.query<{ seq: string }>('SELECT seq FROM audit_event ORDER BY seq');
  return rows.map((r) => Number(r.seq));
}

async function verify(): Promise<VerifyAuditResponse> {
  const res = await call(app, auditor, routes.verifyAudit, { body: {} });
  expect(res.status).toBe(200);
  return res.body as unknown as VerifyAuditResponse;
}

function cli(args: string[] = []): { status: number | null; out: string } {
  const run = spawnSync(
    join(WORKSPACE, 'node_modules/.bin/tsx'),
    ['tools/audit/verify.ts', ...args],
    { cwd: WORKSPACE, env: { ...process.env, DATABASE_URL: scratch.url }, encoding: 'utf8' },
  );
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** As only a superuser or the owner can: the log's and the anchors' triggers off. */
async function behindTheTriggers(sql: string, params: unknown[] = []) {
  await db.query('BEGIN');
  await db.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
  await db.query('ALTER TABLE audit_trim DISABLE TRIGGER ALL');
  await db.query(sql, params);
  await db.query('ALTER TABLE audit_trim ENABLE TRIGGER ALL');
  await db.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
  await db.query('COMMIT');
}

async function asApp<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: scratch.url, options: '-c role=haven_app' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const setDays = async (auditLogDays: number | null) => {
  const admin = staff.admin;
  const res = await call(app, admin, routes.updateRetention, {
    body: { ...SETTINGS, auditLogDays },
  });
  expect(res.status).toBe(200);
};

beforeAll(async () => {
  await initCrypto();
  scratch = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: scratch.url } });
  logKey = app.get(AuditLogKey);
  db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  // Two years ago: seq 1–5, then a signed checkpoint at 5, then seq 6–8 (no checkpoint).
  await appendOld(5, 800);
  expect((await app.get(AuditIntegrityService).currentCheckpoint()).seq).toBe(5);
  await appendOld(3, 799);
  hashAt5 = (await db.query<{ hash: Buffer }>('SELECT hash FROM audit_event WHERE seq = 5')).rows[0]
    .hash;
  staff = await seedStaff(db, { auditor: 'auditor' });
  auditor = person(staff, 'auditor');
});

afterAll(async () => {
  await db.end();
  await app.close();
  await scratch.drop();
});

describe('audit-log retention', () => {
  it('keeps everything by default (forever)', async () => {
    const before = await seqs();
    const run = await app.get(PurgeService).runOnce();
    expect(run).toMatchObject({ ran: true, purged: { auditLog: 0 } });
    expect(await seqs()).toEqual(before);
    expect(before[0]).toBe(1);
    expect((await db.query('SELECT * FROM audit_trim')).rows).toEqual([]);
    expect((await db.query(`SELECT 1 FROM audit_event WHERE action = 'audit.trim'`)).rows).toEqual(
      [],
    );
  });

  it('gives the application role no way to delete, to open the trigger or to write anchors', async () => {
    await asApp(async (c) => {
      await expect(c.query('DELETE FROM audit_event WHERE seq = 1')).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        c.query('INSERT INTO audit_trim_permit (txid) VALUES (txid_current())'),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query('SELECT * FROM audit_trim_permit')).rejects.toThrow(/permission denied/);
      await expect(
        c.query(
          `INSERT INTO audit_trim (seq, head, signature, public_key, trim_seq, cutoff_on, deleted)
           VALUES (5, $1, $2, $3, 9, current_date, 5)`,
          [hashAt5, Buffer.alloc(64), Buffer.from(logKey.publicKey)],
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query('UPDATE audit_trim SET seq = 6')).rejects.toThrow(/permission denied/);
      await expect(c.query('DELETE FROM audit_trim')).rejects.toThrow(/permission denied/);
      await expect(c.query('SELECT audit_event_append_only()')).rejects.toThrow(/trigger/);
      // The one door: while the log is kept forever it refuses.
      await expect(c.query('SELECT audit_trim(5)')).rejects.toThrow(/forever/);
    });
    await setDays(365);
    await asApp(async (c) => {
      // Without this transaction's audit.trim event at the head, nothing is deleted.
      await expect(c.query('SELECT audit_trim(5)')).rejects.toThrow(/head of the log/);
      // Not past the cutoff: the recent events are never reachable (at least 365 days stay).
      await c.query('BEGIN');
      const head = Number(
        (await c.query<{ s: string }>('SELECT max(seq) AS s FROM audit_event')).rows[0].s,
      );
      await c.query(
        `INSERT INTO audit_event (seq, day, action, target, outcome, prev_hash, hash)
         VALUES ($1, current_date, 'audit.trim', $2, 'ok', $3, $3)`,
        [head + 1, `through:${head}`, Buffer.alloc(32)],
      );
      await expect(c.query('SELECT audit_trim($1)', [head])).rejects.toThrow(/not all older/);
      await c.query('ROLLBACK');
      // An old stretch without a stored checkpoint at its end is refused too.
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO audit_event (seq, day, action, target, outcome, prev_hash, hash)
         VALUES ($1, current_date, 'audit.trim', 'through:7', 'ok', $2, $2)`,
        [head + 1, Buffer.alloc(32)],
      );
      await c.query('SAVEPOINT refused');
      await expect(c.query('SELECT audit_trim(7)')).rejects.toThrow(/no checkpoint/);
      await c.query('ROLLBACK TO SAVEPOINT refused');
      // It may forge a checkpoint (it may insert them), but that anchor fails verification.
      await c.query(
        `INSERT INTO audit_checkpoint (seq, head, signature, public_key)
         SELECT 7, hash, $1, $2 FROM audit_event WHERE seq = 7`,
        [Buffer.alloc(64, 1), Buffer.from(logKey.publicKey)],
      );
      expect(Number((await c.query<{ n: string }>('SELECT audit_trim(7) AS n')).rows[0].n)).toBe(7);
      const forged = await verifyAuditLog(
        async (text, params) => ({ rows: (await c.query<AuditEventRow>(text, params)).rows }),
        { logKey: logKey.publicKey },
      );
      expect(forged).toMatchObject({ ok: false, brokenAtSeq: 7, reason: 'anchor' });
      await c.query('ROLLBACK');
    });
    expect((await seqs())[0]).toBe(1);
  });

  it('trims exactly the old events up to the signed checkpoint, once, with one audit.trim', async () => {
    const before = await seqs();
    const run = await app.get(PurgeService).runOnce();
    expect(run).toMatchObject({ ran: true, purged: { auditLog: 5 } });
    const after = await seqs();
    const trimSeq = before[before.length - 1] + 1;
    // 6–8 are old too, but no signed checkpoint ends their stretch: they wait for one.
    expect(after).toEqual([...before.filter((s) => s > 5), trimSeq]);
    const trims = await db.query(
      `SELECT seq, target, outcome, actor FROM audit_event WHERE action = 'audit.trim'`,
    );
    expect(trims.rows).toEqual([
      { seq: String(trimSeq), target: 'through:5', outcome: 'ok', actor: null },
    ]);
    const anchor = await db.query(
      'SELECT seq, head, trim_seq, deleted, trimmed_on::text AS trimmed FROM audit_trim',
    );
    expect(anchor.rows).toEqual([
      {
        seq: '5',
        head: hashAt5,
        trim_seq: String(trimSeq),
        deleted: '5',
        trimmed: new Date().toISOString().slice(0, 10),
      },
    ]);
    // Nothing more is due until a signed checkpoint covers older events.
    expect(await app.get(PurgeService).runOnce()).toMatchObject({ purged: { auditLog: 0 } });
    expect(await seqs()).toEqual(after);
  });

  it('verifies from the anchor (API and CLI), also from a checkpoint kept before the trim', async () => {
    const result = await verify();
    expect(result).toMatchObject({
      ok: true,
      fromSeq: 5,
      trimmedThroughSeq: 5,
      trimmedOn: new Date().toISOString().slice(0, 10),
    });
    const kept = await call(app, auditor, routes.verifyAudit, {
      body: { from: { seq: 5, head: hashAt5.toString('hex') } },
    });
    expect(kept.body).toMatchObject({ ok: true, trimmedThroughSeq: 5 });
    const out = cli(['--log-key', toBase64(logKey.publicKey)]);
    expect(out.out).toMatch(/trimmed by retention through seq 5/);
    expect(out.out).toMatch(/audit log intact/);
    expect(out.status).toBe(0);
  });

  it('still names tampering after the trim by its seq', async () => {
    await behindTheTriggers(`UPDATE audit_event SET target = 'CASE-X' WHERE seq = 7`);
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: 7, reason: 'hash' });
    expect(cli().out).toMatch(/BROKEN at seq 7 \(hash\)/);
    await behindTheTriggers(`UPDATE audit_event SET target = 'OLD-799-1' WHERE seq = 7`);
    expect(await verify()).toMatchObject({ ok: true });

    // Removing the first kept event: a gap right after the anchor.
    const six = (
      await db.query(
        `SELECT seq, day::text AS day, time_utc, actor, role, action, target, outcome,
                prev_hash, hash FROM audit_event WHERE seq = 6`,
      )
    ).rows[0] as Record<string, unknown>;
    await behindTheTriggers('DELETE FROM audit_event WHERE seq = 6');
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: 6, reason: 'gap' });
    const cols = Object.keys(six);
    await db.query(
      `INSERT INTO audit_event (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => six[c]),
    );
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('detects a moved or forged anchor, and a removed one', async () => {
    // Moved further: events 6–7 deleted and an anchor at 7 with a made-up signature.
    await behindTheTriggers('DELETE FROM audit_event WHERE seq IN (6, 7)');
    await behindTheTriggers(
      `INSERT INTO audit_trim (seq, head, signature, public_key, trim_seq, cutoff_on, deleted)
       SELECT 7, prev_hash, $1, $2, (SELECT trim_seq FROM audit_trim WHERE seq = 5),
              current_date, 2 FROM audit_event WHERE seq = 8`,
      [Buffer.alloc(64, 0x11), Buffer.from(logKey.publicKey)],
    );
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: 7, reason: 'anchor' });
    // Without the log key the CLI still sees that the audit.trim event names another seq.
    expect(cli().out).toMatch(/BROKEN at seq 7 \(anchor\)/);
    // No anchor at all: the log starts at a gap.
    await behindTheTriggers('DELETE FROM audit_trim');
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: 1, reason: 'gap' });
  });
});
