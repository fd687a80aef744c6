/**
 * Tampering with the audit log as a database superuser, and what gives it away: the API's
 * verification and `npm run audit:verify` name the altered event; a log rewritten with fresh
 * hashes shows as a fork against the signed checkpoints; a log cut back shows as a rollback
 * against the checkpoints an auditor kept. Each scenario tampers with a database of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AUDIT_CHECKPOINT_BOOK_FORMAT,
  routes,
  type AuditCheckpoint,
  type AuditCheckpointBook,
  type AuditLogKeyResponse,
  type VerifyAuditResponse,
} from '@haven/contracts';
import { auditEventHash, initCrypto } from '@haven/crypto';
import pg from 'pg';
import { chainedEvent, type AuditEventRow } from '../src/audit/audit-chain';
import { AuditService } from '../src/audit/audit.service';
import { call, person, seedStaff, type Person } from './cases-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';

const WORKSPACE = join(__dirname, '..', '..', '..');

interface Log {
  db: ScratchDatabase;
  app: NestFastifyApplication;
  client: pg.Client;
  auditor: Person;
  close(): Promise<void>;
}

/** A database of its own with an auditor and `events` more events in the log. */
async function freshLog(events: number): Promise<Log> {
  await initCrypto();
  const db = await scratchDatabase();
  const app = await startTestApp({ config: { databaseUrl: db.url } });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const auditor = person(await seedStaff(client, { auditor: 'auditor' }), 'auditor');
  const audit = app.get(AuditService);
  for (let i = 0; i < events; i++) {
    await audit.recordNow({
      actor: { id: auditor.id, role: 'auditor' },
      action: 'case.read',
      target: `CASE-${i}`,
      outcome: 'ok',
    });
  }
  return {
    db,
    app,
    client,
    auditor,
    close: async () => {
      await client.end();
      await app.close();
      await db.drop();
    },
  };
}

/** Runs SQL with the log's triggers off, as only a superuser or the owner can. */
async function behindTheTriggers(client: pg.Client, sql: string, params: unknown[] = []) {
  await client.query('BEGIN');
  await client.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
  await client.query('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL');
  await client.query(sql, params);
  await client.query('ALTER TABLE audit_checkpoint ENABLE TRIGGER ALL');
  await client.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
  await client.query('COMMIT');
}

async function verify(log: Log, from?: AuditCheckpoint): Promise<VerifyAuditResponse> {
  const body = from ? { from: { seq: from.seq, head: from.head } } : {};
  const res = await call(log.app, log.auditor, routes.verifyAudit, { body });
  expect(res.status).toBe(200);
  return res.body as unknown as VerifyAuditResponse;
}

/** `npm run audit:verify` against the log's database. */
function cli(log: Log, args: string[] = []): { status: number | null; out: string } {
  const run = spawnSync(
    join(WORKSPACE, 'node_modules/.bin/tsx'),
    ['tools/audit/verify.ts', ...args],
    {
      cwd: WORKSPACE,
      env: { ...process.env, DATABASE_URL: log.db.url },
      encoding: 'utf8',
    },
  );
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

async function keep(log: Log, checkpoints: AuditCheckpoint[]): Promise<string> {
  const key = (await call(log.app, log.auditor, routes.auditLogKey))
    .body as unknown as AuditLogKeyResponse;
  const book: AuditCheckpointBook = {
    format: AUDIT_CHECKPOINT_BOOK_FORMAT,
    savedOn: '2025-03-02',
    logKey: { publicKey: key.publicKey, fingerprint: key.fingerprint },
    checkpoints,
  };
  const dir = mkdtempSync(join(tmpdir(), 'haven-audit-'));
  const file = join(dir, 'checkpoints.json');
  writeFileSync(file, JSON.stringify(book));
  return file;
}

async function currentCheckpoint(log: Log) {
  return call(log.app, log.auditor, routes.auditCheckpoint);
}

describe('tampering as a database superuser', () => {
  it('altering one event: the API and the CLI name exactly its sequence number', async () => {
    const log = await freshLog(20);
    try {
      const intact = cli(log);
      expect(intact.status).toBe(0);
      expect(intact.out).toMatch(/^audit log intact: 20 events, head seq 20/);
      await behindTheTriggers(log.client, `UPDATE audit_event SET target = 'CASE-X' WHERE seq = 7`);
      expect(await verify(log)).toMatchObject({
        ok: false,
        brokenAtSeq: 7,
        reason: 'hash',
        headSeq: null,
        checkpoint: null,
      });
      const { rows } = await log.client.query(
        'SELECT action, outcome FROM audit_event ORDER BY seq DESC LIMIT 1',
      );
      expect(rows[0]).toEqual({ action: 'audit.verify', outcome: 'failed:hash' });
      const run = cli(log);
      expect(run.status).toBe(1);
      expect(run.out).toMatch(/audit log BROKEN at seq 7 \(hash\)/);
    } finally {
      await log.close();
    }
  });

  it('rewriting the chain with fresh hashes: a fork at the signed checkpoint, and no new signature', async () => {
    const log = await freshLog(20);
    try {
      const kept = (await currentCheckpoint(log)).body as unknown as AuditCheckpoint;
      const file = await keep(log, [kept]);
      // Change event 5 and recompute every hash after it: internally consistent again.
      const { rows } = await log.client.query<AuditEventRow>(
        'SELECT * FROM audit_event ORDER BY seq',
      );
      let prev: Uint8Array = new Uint8Array(rows[3].hash);
      for (const row of rows.slice(4)) {
        const changed = Number(row.seq) === 5 ? { ...row, target: 'CASE-X' } : row;
        const hash = auditEventHash(prev, chainedEvent(changed).event);
        await behindTheTriggers(
          log.client,
          'UPDATE audit_event SET target = $2, prev_hash = $3, hash = $4 WHERE seq = $1',
          [row.seq, changed.target, Buffer.from(prev), Buffer.from(hash)],
        );
        prev = hash;
      }
      expect(await verify(log)).toMatchObject({
        ok: false,
        brokenAtSeq: kept.seq,
        reason: 'fork',
      });
      const refused = await currentCheckpoint(log);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/broken at seq \d+ \(fork\)/);
      const run = cli(log, ['--checkpoints', file]);
      expect(run.status).toBe(1);
      expect(run.out).toMatch(new RegExp(`BROKEN at seq ${kept.seq} \\(fork\\)`));
      rmSync(join(file, '..'), { recursive: true, force: true });
    } finally {
      await log.close();
    }
  });

  it('cutting the log back (and the stored checkpoints with it): a rollback against a kept checkpoint', async () => {
    const log = await freshLog(20);
    try {
      const kept = (await currentCheckpoint(log)).body as unknown as AuditCheckpoint;
      const file = await keep(log, [kept]);
      await behindTheTriggers(log.client, 'DELETE FROM audit_checkpoint');
      await behindTheTriggers(log.client, 'DELETE FROM audit_event WHERE seq > 14');
      // What is left is a consistent chain: only the kept checkpoint shows what happened.
      expect(await verify(log)).toMatchObject({ ok: true, headSeq: 14 });
      expect(await verify(log, kept)).toMatchObject({
        ok: false,
        brokenAtSeq: kept.seq,
        reason: 'rollback',
      });
      const run = cli(log, ['--checkpoints', file]);
      expect(run.status).toBe(1);
      expect(run.out).toMatch(new RegExp(`BROKEN at seq ${kept.seq} \\(rollback\\)`));
      rmSync(join(file, '..'), { recursive: true, force: true });
    } finally {
      await log.close();
    }
  });

  it('a checkpoint file with a signature that does not verify is refused (exit 2)', async () => {
    const log = await freshLog(3);
    try {
      const kept = (await currentCheckpoint(log)).body as unknown as AuditCheckpoint;
      const forged = { ...kept, head: 'ab'.repeat(32) };
      const file = await keep(log, [forged]);
      const run = cli(log, ['--checkpoints', file]);
      expect(run.status).toBe(2);
      expect(run.out).toMatch(/not signed by the log key/);
      rmSync(join(file, '..'), { recursive: true, force: true });
    } finally {
      await log.close();
    }
  });
});
