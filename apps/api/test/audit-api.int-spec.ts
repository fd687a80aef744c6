/**
 * The auditors' API against the real AppModule and PostgreSQL: the filtered log and its pages,
 * the log key and signed checkpoints, verification (and that it is audited), exports in JSON
 * and CSV, one person's activity, anomaly flags, and what an auditor can never get: case
 * content, grants, or anything but 404 from a case route.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CSRF_HEADER,
  routes,
  SESSION_COOKIE,
  type AnomalyReport,
  type AuditCheckpoint,
  type AuditEventPage,
  type AuditExport,
  type AuditLogKeyResponse,
  type AuditUserList,
  type UserActivity,
  type VerifyAuditResponse,
} from '@haven/contracts';
import { fingerprint, fromBase64, fromHex, initCrypto, verifyAuditCheckpoint } from '@haven/crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { routeInventory } from '../src/access/route-inventory';
import { appendAuditEvent } from '../src/audit/audit-append';
import type { AuditEventInput } from '../src/audit/audit-event';
import { AuditService, sqlOf } from '../src/audit/audit.service';
import { call, newCase, person, seedStaff, type NewCase, type Person } from './cases-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';

let db: ScratchDatabase;
let app: NestFastifyApplication;
let client: pg.Client;
let coordinator: Person;
let worker: Person; // opens the case; its assignee
let colleague: Person; // holds a grant, is neither assignee nor supervisor
let outsider: Person; // no grant
let auditor: Person;
let opened: NewCase;
let caseCode: string;

async function lastEvent(): Promise<{
  seq: number;
  action: string;
  actor: string | null;
  target: string | null;
  outcome: string;
}> {
  const { rows } = await client.query<{
    seq: string;
    action: string;
    actor: string | null;
    target: string | null;
    outcome: string;
  }>('SELECT seq, action, actor, target, outcome FROM audit_event ORDER BY seq DESC LIMIT 1');
  return { ...rows[0], seq: Number(rows[0].seq) };
}

function checkSignature(checkpoint: AuditCheckpoint, publicKey: string): void {
  verifyAuditCheckpoint(
    {
      seq: checkpoint.seq,
      head: fromHex(checkpoint.head),
      signature: fromBase64(checkpoint.signature),
    },
    fromBase64(publicKey),
  );
}

beforeAll(async () => {
  await initCrypto();
  db = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: db.url } });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const staff = await seedStaff(client, {
    coordinator: 'coordinator',
    worker: 'caseworker',
    colleague: 'caseworker',
    outsider: 'caseworker',
    auditor: 'auditor',
  });
  coordinator = person(staff, 'coordinator');
  worker = person(staff, 'worker');
  colleague = person(staff, 'colleague');
  outsider = person(staff, 'outsider');
  auditor = person(staff, 'auditor');
  opened = newCase(worker, coordinator, { also: [colleague] });
  const created = await call(app, worker, routes.createCase, { body: opened.body });
  if (created.status !== 201) throw new Error(`could not open the case: ${created.status}`);
  caseCode = String(created.body.code);
  // The reads the auditor will look for: two by the assignee, one by a colleague, and one
  // attempt by someone without a grant.
  for (const who of [worker, worker, colleague]) {
    expect((await call(app, who, routes.getCase, { params: { code: caseCode } })).status).toBe(200);
  }
  expect((await call(app, outsider, routes.getCase, { params: { code: caseCode } })).status).toBe(
    404,
  );
});

afterAll(async () => {
  await client.end();
  await app.close();
  await db.drop();
});

describe('the log, filtered', () => {
  it("shows a case's reads, newest first, with who made them and when", async () => {
    const res = await call(app, auditor, routes.auditEvents, {
      query: { target: caseCode, action: 'case.read' },
    });
    expect(res.status).toBe(200);
    const page = res.body as unknown as AuditEventPage;
    expect(page.nextBefore).toBeNull();
    expect(
      page.events.map((e) => [e.actor?.id, e.actor?.username, e.actor?.role, e.outcome]),
    ).toEqual([
      [colleague.id, colleague.username, 'caseworker', 'ok'],
      [worker.id, worker.username, 'caseworker', 'ok'],
      [worker.id, worker.username, 'caseworker', 'ok'],
    ]);
    const seqs = page.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    for (const e of page.events) {
      expect(e.time).toMatch(/^\d\d:\d\d$/);
      expect(e.day).toBe(new Date().toISOString().slice(0, 10));
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('filters by outcome, area and person', async () => {
    const denied = await call(app, auditor, routes.auditEvents, {
      query: { target: caseCode, outcome: 'denied' },
    });
    const refusals = (denied.body as unknown as AuditEventPage).events;
    expect(refusals.length).toBeGreaterThan(0);
    for (const e of refusals) {
      expect(e.actor?.id).toBe(outsider.id);
      expect(e.outcome).toBe('denied:not_found');
    }
    const area = await call(app, auditor, routes.auditEvents, {
      query: { target: caseCode, action: 'case', actor: worker.id },
    });
    expect((area.body as unknown as AuditEventPage).events.map((e) => e.action)).toEqual([
      'case.read',
      'case.read',
      'case.create',
    ]);
  });

  it('pages by sequence number, without gaps or repeats', async () => {
    const all = (
      (await call(app, auditor, routes.auditEvents, { query: { target: caseCode } }))
        .body as unknown as AuditEventPage
    ).events.map((e) => e.seq);
    const paged: number[] = [];
    let before: number | undefined;
    for (;;) {
      const res = await call(app, auditor, routes.auditEvents, {
        query: { target: caseCode, limit: 2, ...(before ? { before } : {}) },
      });
      const page = res.body as unknown as AuditEventPage;
      paged.push(...page.events.map((e) => e.seq));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(4);
  });

  it('refuses bad filters with a 400 that names the field', async () => {
    const bad = async (query: Record<string, string | number>) => {
      const res = await call(app, auditor, routes.auditEvents, { query });
      expect(res.status).toBe(400);
      return (res.body.fields as { path: string }[]).map((f) => f.path);
    };
    expect(await bad({ action: 'Case.Read!' })).toEqual(['query.action']);
    expect(await bad({ actor: 'nobody' })).toEqual(['query.actor']);
    expect(await bad({ from: '2025-03-02', to: '2025-03-01' })).toEqual(['query.from']);
    expect(await bad({ limit: 0 })).toEqual(['query.limit']);
    expect(await bad({ outcome: 'maybe' })).toEqual(['query.outcome']);
  });
});

describe('log key, checkpoints and verification', () => {
  it('serves the log key with its fingerprint, and signs the current head', async () => {
    const key = (await call(app, auditor, routes.auditLogKey))
      .body as unknown as AuditLogKeyResponse;
    const publicKey = fromBase64(key.publicKey);
    expect(key.algorithm).toBe('Ed25519');
    expect(key.fingerprint).toBe(fingerprint(publicKey, publicKey));

    const res = await call(app, auditor, routes.auditCheckpoint);
    expect(res.status).toBe(200);
    const checkpoint = res.body as unknown as AuditCheckpoint;
    const head = await lastEvent();
    expect(checkpoint.seq).toBe(head.seq);
    expect(checkpoint.publicKey).toBe(key.publicKey);
    checkSignature(checkpoint, key.publicKey);
    const { rows } = await client.query<{ head: Buffer }>(
      'SELECT head FROM audit_checkpoint WHERE seq = $1',
      [checkpoint.seq],
    );
    expect(rows[0].head.toString('hex')).toBe(checkpoint.head);
    // Asking again without new events gives the stored checkpoint.
    const again = (await call(app, auditor, routes.auditCheckpoint)).body;
    expect(again).toEqual(checkpoint);
  });

  it('signs the same new head once when auditors ask at the same time', async () => {
    await app.get(AuditService).recordNow({
      actor: { id: coordinator.id, role: 'coordinator' },
      action: 'case.read',
      target: 'SAME-TIME',
      outcome: 'ok',
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call(app, auditor, routes.auditCheckpoint)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  });

  it('verifies the whole chain, signs the verified head, and audits the verification', async () => {
    const before = await lastEvent();
    const res = await call(app, auditor, routes.verifyAudit, { body: {} });
    expect(res.status).toBe(200);
    const result = res.body as unknown as VerifyAuditResponse;
    expect(result).toMatchObject({
      ok: true,
      fromSeq: 0,
      count: before.seq,
      headSeq: before.seq,
      brokenAtSeq: null,
      reason: null,
    });
    expect(result.checkpoint?.seq).toBe(before.seq);
    checkSignature(result.checkpoint!, result.checkpoint!.publicKey);
    expect(await lastEvent()).toMatchObject({
      seq: before.seq + 1,
      action: 'audit.verify',
      actor: auditor.id,
      outcome: 'ok',
    });

    // From the checkpoint just kept: only what came after it is recomputed.
    const kept = result.checkpoint!;
    const fromKept = (
      await call(app, auditor, routes.verifyAudit, {
        body: { from: { seq: kept.seq, head: kept.head } },
      })
    ).body as unknown as VerifyAuditResponse;
    expect(fromKept).toMatchObject({ ok: true, fromSeq: kept.seq, count: 1 });
  });

  it('calls a kept checkpoint beyond the head a rollback, and one with another head a fork', async () => {
    const head = await lastEvent();
    const verify = async (seq: number, hash: string) =>
      (await call(app, auditor, routes.verifyAudit, { body: { from: { seq, head: hash } } }))
        .body as unknown as VerifyAuditResponse;
    expect(await verify(head.seq + 50, 'ab'.repeat(32))).toMatchObject({
      ok: false,
      brokenAtSeq: head.seq + 50,
      reason: 'rollback',
      checkpoint: null,
    });
    expect(await verify(2, 'ab'.repeat(32))).toMatchObject({
      ok: false,
      brokenAtSeq: 2,
      reason: 'fork',
    });
    expect(await lastEvent()).toMatchObject({ action: 'audit.verify', outcome: 'failed:fork' });
  });
});

describe('exports', () => {
  it('export the filtered view as JSON under a signed checkpoint that covers it, audited', async () => {
    const res = await call(app, auditor, routes.auditExport, { query: { target: caseCode } });
    expect(res.status).toBe(200);
    const exported = res.body as unknown as AuditExport;
    expect(exported.format).toBe('haven-audit-export/v1');
    expect(exported.filters).toEqual({ target: caseCode });
    expect(exported.count).toBe(exported.events.length);
    expect(exported.events.length).toBeGreaterThan(4);
    for (const e of exported.events) expect(e.seq).toBeLessThanOrEqual(exported.checkpoint.seq);
    checkSignature(exported.checkpoint, exported.checkpoint.publicKey);
    expect(await lastEvent()).toMatchObject({
      seq: exported.checkpoint.seq + 1,
      action: 'audit.export',
      actor: auditor.id,
      target: 'json',
      outcome: 'ok',
    });
  });

  it('export CSV with the checkpoint in # lines, one row per event, audited', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/audit/export?format=csv&target=${caseCode}&action=case.read`,
      headers: { cookie: `${SESSION_COOKIE}=${auditor.token}`, [CSRF_HEADER]: '1' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="haven-audit-\d+\.csv"$/,
    );
    const lines = res.body.trimEnd().split('\r\n');
    const preamble = Object.fromEntries(
      lines
        .filter((l) => l.startsWith('# '))
        .map((l) => [l.slice(2, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(preamble).toMatchObject({
      format: 'haven-audit-export/v1',
      filter_target: caseCode,
      filter_action: 'case.read',
      count: '3',
    });
    checkSignature(
      {
        seq: Number(preamble.checkpoint_seq),
        head: preamble.checkpoint_head,
        signature: preamble.checkpoint_signature,
        publicKey: preamble.checkpoint_public_key,
        createdOn: '2025-01-01',
      },
      preamble.checkpoint_public_key,
    );
    const table = lines.filter((l) => !l.startsWith('# '));
    expect(table[0]).toBe(
      'seq,day,time,actor_id,actor_username,role,action,target,outcome,prev_hash,hash',
    );
    expect(table.slice(1).map((l) => l.split(',')[3])).toEqual([
      worker.id,
      worker.id,
      colleague.id,
    ]);
    expect(await lastEvent()).toMatchObject({ action: 'audit.export', target: 'csv' });
  });
});

describe('exports while others write', () => {
  it('every export and every write succeeds, and the chain stays whole', async () => {
    const audit = app.get(AuditService);
    const writes = Array.from({ length: 20 }, (_, i) =>
      audit.recordNow({
        actor: { id: coordinator.id, role: 'coordinator' },
        action: 'case.read',
        target: `BUSY-${i}`,
        outcome: 'ok',
      }),
    );
    const exports = Array.from({ length: 5 }, () =>
      call(app, auditor, routes.auditExport, { query: { actor: coordinator.id } }),
    );
    const [, answers] = await Promise.all([Promise.all(writes), Promise.all(exports)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const verified = (await call(app, auditor, routes.verifyAudit, { body: {} }))
      .body as unknown as VerifyAuditResponse;
    expect(verified.ok).toBe(true);
  });
});

describe('people', () => {
  it("list accounts and show one person's activity", async () => {
    const list = (await call(app, auditor, routes.auditUsers)).body as unknown as AuditUserList;
    expect(list.users).toEqual(
      expect.arrayContaining([
        { id: worker.id, username: worker.username, role: 'caseworker', active: true },
      ]),
    );
    const res = await call(app, auditor, routes.auditUserActivity, {
      params: { userId: worker.id },
    });
    expect(res.status).toBe(200);
    const activity = res.body as unknown as UserActivity;
    expect(activity.user.id).toBe(worker.id);
    expect(activity.casesRead).toBe(1);
    expect(activity.byAction).toEqual(
      expect.arrayContaining([
        { action: 'case.create', ok: 1, denied: 0, failed: 0 },
        { action: 'case.read', ok: 2, denied: 0, failed: 0 },
      ]),
    );
    expect(activity.total).toBe(activity.byDay.reduce((n, d) => n + d.count, 0));
    const unknown = await call(app, auditor, routes.auditUserActivity, {
      params: { userId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('what an auditor never gets', () => {
  it('answers 404 on every case route and 403 on the other case-staff routes', async () => {
    const caseRoutes = routeInventory(app).filter((r) => r.contract?.tag === 'cases');
    expect(caseRoutes.length).toBeGreaterThan(10);
    const seen: Record<string, number> = {};
    for (const r of caseRoutes) {
      const url = r.path
        .replace(':code', caseCode)
        .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await app.inject({
        method: r.method as 'GET',
        url,
        headers: {
          cookie: `${SESSION_COOKIE}=${auditor.token}`,
          [CSRF_HEADER]: '1',
          ...(r.method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        ...(r.method === 'GET' ? {} : { payload: '{}' }),
      });
      seen[`${r.method} ${r.path}`] = res.statusCode;
      expect(res.body).not.toContain(opened.body.profile.slice(0, 40));
    }
    const expected = Object.fromEntries(
      caseRoutes.map((r) => [`${r.method} ${r.path}`, r.path.includes(':code') ? 404 : 403]),
    );
    expect(seen).toEqual(expected);
  });

  it('finds no ciphertext, grant or key material in any auditor answer', async () => {
    const answers = [
      await call(app, auditor, routes.auditEvents, { query: { limit: 200 } }),
      await call(app, auditor, routes.auditExport, { query: {} }),
      await call(app, auditor, routes.auditUserActivity, { params: { userId: worker.id } }),
      await call(app, auditor, routes.auditAnomalies),
      await call(app, auditor, routes.reportSummary),
    ];
    const secrets = [
      opened.body.profile,
      opened.body.summary,
      ...opened.body.grants.map((g) => g.envelope),
    ].map((s) => s.slice(10, 50));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.body);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/"(envelope|grant|grants|profile|summary|wrapped\w*)"\s*:/);
    }
  });
});

describe('anomaly flags', () => {
  const DAY = '2020-03-02';

  async function at(time: string, input: AuditEventInput): Promise<void> {
    const dataSource = app.get(DataSource);
    await dataSource.transaction((m) =>
      appendAuditEvent(sqlOf(m), input, { now: new Date(`${DAY}T${time}:00Z`) }),
    );
  }
  const as = (p: Person) => ({ id: p.id, role: p.role as 'caseworker' });

  beforeAll(async () => {
    // On a day of their own, so that nothing else in this file falls into the scan.
    for (let i = 0; i < 15; i++) {
      const time = `10:${String(i * 3).padStart(2, '0')}`;
      await at(time, {
        actor: as(colleague),
        action: 'case.read',
        target: `BULK-${i}`,
        outcome: 'ok',
      });
    }
    for (let i = 0; i < 14; i++) {
      const time = `10:${String(i * 3).padStart(2, '0')}`;
      await at(time, {
        actor: as(worker),
        action: 'case.read',
        target: `MANY-${i}`,
        outcome: 'ok',
      });
    }
    await at('11:00', {
      actor: as(colleague),
      action: 'case.read',
      target: caseCode,
      outcome: 'ok',
    });
    await at('11:05', { actor: as(worker), action: 'case.read', target: caseCode, outcome: 'ok' });
    await at('11:10', {
      actor: as(outsider),
      action: 'case.access',
      target: caseCode,
      outcome: 'denied:not_found',
    });
    await at('02:30', { actor: as(worker), action: 'case.read', target: caseCode, outcome: 'ok' });
    for (const minute of ['14:00', '14:03', '14:06', '14:09', '14:12']) {
      await at(minute, {
        actor: null,
        action: 'auth.login',
        target: outsider.id,
        outcome: 'denied:bad_credentials',
      });
    }
    for (const minute of ['14:01', '14:04', '14:07', '14:10']) {
      await at(minute, {
        actor: null,
        action: 'auth.login',
        target: coordinator.id,
        outcome: 'denied:bad_totp',
      });
    }
  });

  it('flags bulk reads, unassigned reads, unusual hours and bursts of failed sign-ins', async () => {
    const res = await call(app, auditor, routes.auditAnomalies, {
      query: { from: DAY, to: DAY, failedSignInsTotal: 9 },
    });
    expect(res.status).toBe(200);
    const report = res.body as unknown as AnomalyReport;
    expect(report.thresholds).toEqual({
      bulkReads: 15,
      failedSignIns: 5,
      failedSignInsTotal: 9,
      offHoursStart: '00:00',
      offHoursEnd: '06:00',
    });
    const summary = report.flags.map((f) => [
      f.kind,
      f.actor?.username ?? null,
      f.target,
      f.detail,
      f.from,
      f.to,
      f.count,
    ]);
    expect(summary).toEqual([
      // The read of the real case at 11:00 extends the same episode.
      ['bulk_reads', colleague.username, null, null, '10:00', '11:00', 15],
      ['failed_sign_ins', outsider.username, outsider.id, 'account', '14:00', '14:12', 5],
      ['failed_sign_ins', null, null, 'all_accounts', '14:00', '14:12', 9],
      ['off_hours', worker.username, null, null, '02:30', '02:30', 1],
      ['unassigned_read', colleague.username, caseCode, 'not_assigned', '11:00', '11:00', 1],
      ['unassigned_read', outsider.username, caseCode, 'refused', '11:10', '11:10', 1],
    ]);
    for (const f of report.flags) expect(f.day).toBe(DAY);
  });

  it('uses the thresholds asked for, and refuses a range over 31 days', async () => {
    const res = await call(app, auditor, routes.auditAnomalies, {
      query: { from: DAY, to: DAY, bulkReads: 14, offHoursStart: '22:00', offHoursEnd: '02:00' },
    });
    const kinds = (res.body as unknown as AnomalyReport).flags.map((f) => [f.kind, f.actor?.id]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['bulk_reads', colleague.id],
        ['bulk_reads', worker.id],
      ]),
    );
    expect(kinds).not.toContainEqual(['off_hours', worker.id]);
    const tooLong = await call(app, auditor, routes.auditAnomalies, {
      query: { from: '2020-01-01', to: '2020-03-02' },
    });
    expect(tooLong.status).toBe(400);
  });

  it("shows a person's flags in their activity", async () => {
    const res = await call(app, auditor, routes.auditUserActivity, {
      params: { userId: colleague.id },
      query: { from: DAY, to: DAY },
    });
    const activity = res.body as unknown as UserActivity;
    expect(activity.flags.map((f) => f.kind).sort()).toEqual(['bulk_reads', 'unassigned_read']);
    expect(activity.casesRead).toBe(16);
    const outsiderActivity = (
      await call(app, auditor, routes.auditUserActivity, {
        params: { userId: outsider.id },
        query: { from: DAY, to: DAY },
      })
    ).body as unknown as UserActivity;
    expect(outsiderActivity.failedSignIns).toBe(5);
  });
});
