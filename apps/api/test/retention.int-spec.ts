/**
 * Retention against the real AppModule and PostgreSQL (docs/retention.md): the settings (admins
 * only, validated, audited), the purge job (due cases crypto-shredded and nothing left that
 * names them, recent ones kept, two replicas never purging twice), untriaged intake, every
 * foreign key onto `case_file` cascading, two-coordinator purge-now, and emergency lockdown
 * with real sign-ins. One scratch database: settings and lockdown are global state.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LOCKDOWN_SIGN_IN_MESSAGE, routes, type RetentionResponse } from '@haven/contracts';
import { initCrypto } from '@haven/crypto';
import pg from 'pg';
import { PURGE_LOCK, PurgeService } from '../src/retention/purge.service';
import { call, newCase, person, seedStaff, type Person, type TestStaff } from './cases-fixtures';
import {
  asUser,
  insertSession,
  inviteAndAccept,
  nextCode,
  post,
  setUpOrganisation,
  signIn,
  sessionTokenOf,
  b64,
} from './support/accounts';
import { type ScratchDatabase, scratchDatabase, startTestApp } from './support/test-app';

let scratch: ScratchDatabase;
let app: NestFastifyApplication;
let replica: NestFastifyApplication;
let db: pg.Client;
let staff: TestStaff;
let admin: Person;
let coordA: Person;
let coordB: Person;
let worker: Person;
let colleague: Person;

const DEFAULTS = {
  closedCaseDays: 90,
  triagedIntakeDays: 0,
  untriagedIntakeDays: 30,
  expiredPacketDays: 0,
  auditLogDays: null,
};

beforeAll(async () => {
  await initCrypto();
  scratch = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: scratch.url } });
  // A second API process on the same database, as a second replica would be.
  replica = await startTestApp({ config: { databaseUrl: scratch.url } });
  db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  staff = await seedStaff(db, {
    coordA: 'coordinator',
    coordB: 'coordinator',
    worker: 'caseworker',
    colleague: 'caseworker',
    partner: 'partner',
    auditor: 'auditor',
  });
  admin = staff.admin;
  coordA = person(staff, 'coordA');
  coordB = person(staff, 'coordB');
  worker = person(staff, 'worker');
  colleague = person(staff, 'colleague');
});

afterAll(async () => {
  await db.end();
  await replica.close();
  await app.close();
  await scratch.drop();
});

async function count(text: string, params: unknown[] = []): Promise<number> {
  const res = await db.query<{ n: number }>(text, params);
  return res.rows[0].n;
}

async function auditCount(action: string, target: string | null, outcome = 'ok') {
  return count(
    `SELECT count(*)::int AS n FROM audit_event
      WHERE action = $1 AND target IS NOT DISTINCT FROM $2 AND outcome = $3`,
    [action, target, outcome],
  );
}

/** A case opened through the API by `worker`, supervised by coordA, shared with `colleague`. */
async function openCase(): Promise<{ id: string; code: string }> {
  const made = newCase(worker, coordA, { also: [colleague] });
  const res = await call(app, worker, routes.createCase, { body: made.body });
  expect(res.status).toBe(201);
  return { id: made.id, code: String(res.body.code) };
}

async function closeDaysAgo(id: string, days: number): Promise<void> {
  await db.query(
    `UPDATE case_file SET status = 'closed', closed_on = current_date - $2::int WHERE id = $1`,
    [id, days],
  );
}

/** A linked anonymous thread with a staff reply, so the cascade reaches the intake tables. */
async function linkThread(caseId: string): Promise<Buffer> {
  const lookupId = randomBytes(16);
  await db.query(
    `INSERT INTO intake_thread (lookup_id, reply_public_key, created_on, case_id)
     VALUES ($1, $2, current_date, $3)`,
    [lookupId, randomBytes(32), caseId],
  );
  await db.query(
    `INSERT INTO intake_message (lookup_id, position, direction, envelope, created_on)
     VALUES ($1, 1, 'from_staff', $2, current_date)`,
    [lookupId, Buffer.concat([Buffer.from([1, 6]), randomBytes(1024 + 50)])],
  );
  return lookupId;
}

/** Every row of every table (but the audit log) whose text mentions the id or the code. */
async function rowsNaming(id: string, code: string): Promise<string[]> {
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'audit_event'`,
  );
  expect(tables.rows.length).toBeGreaterThan(10);
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const n = await count(
      `SELECT count(*)::int AS n FROM ${name} t
        WHERE t::text ILIKE '%' || $1 || '%' OR t::text ILIKE '%' || $2 || '%'
           OR t::text ILIKE '%' || $3 || '%'`,
      [id, code, id.replace(/-/g, '')],
    );
    if (n > 0) found.push(name);
  }
  return found;
}

describe('retention settings', () => {
  it('are the defaults at first, for admins only', async () => {
    const res = await call(app, admin, routes.getRetention);
    expect(res).toEqual({ status: 200, body: { settings: DEFAULTS, updatedOn: null } });
    for (const who of [coordA, worker, person(staff, 'auditor'), person(staff, 'partner')]) {
      expect((await call(app, who, routes.getRetention)).status).toBe(403);
      expect((await call(app, who, routes.updateRetention, { body: DEFAULTS })).status).toBe(403);
    }
    expect((await call(app, null, routes.getRetention)).status).toBe(401);
  });

  it('refuse nonsense with a message per field and write nothing', async () => {
    const before = await auditCount('retention.update', null);
    const bad = [
      [{ ...DEFAULTS, closedCaseDays: -1 }, 'closedCaseDays: at least 0 days'],
      [{ ...DEFAULTS, closedCaseDays: 1.5 }, 'closedCaseDays: enter a whole number of days'],
      [{ ...DEFAULTS, closedCaseDays: '90' }, 'closedCaseDays: enter a whole number of days'],
      [{ ...DEFAULTS, closedCaseDays: 100000 }, 'closedCaseDays: at most 3650 days'],
      [{ ...DEFAULTS, untriagedIntakeDays: 0 }, 'untriagedIntakeDays: at least 1 days'],
      [{ ...DEFAULTS, triagedIntakeDays: 3 }, 'triagedIntakeDays: only 0 is supported'],
      [{ ...DEFAULTS, expiredPacketDays: 400 }, 'expiredPacketDays: at most 365 days'],
      [{ ...DEFAULTS, auditLogDays: 30 }, 'auditLogDays: at least 365 days'],
      [{ ...DEFAULTS, auditLogDays: 3651 }, 'auditLogDays: at most 3650 days'],
      [{ ...DEFAULTS, auditLogDays: 400.5 }, 'auditLogDays: enter a whole number of days'],
      [{ ...DEFAULTS, auditLogDays: 'forever' }, 'auditLogDays: enter a whole number of days'],
      [{ ...DEFAULTS, auditLogDays: undefined }, 'auditLogDays: enter a whole number of days'],
    ] as const;
    for (const [body, message] of bad) {
      const res = await call(app, admin, routes.updateRetention, { body });
      expect(res.status).toBe(400);
      const fields = res.body.fields as { path: string; message: string }[];
      expect(fields.map((f) => f.message).join(' | ')).toContain(message);
    }
    const missing = await call(app, admin, routes.updateRetention, { body: {} });
    expect(missing.status).toBe(400);
    expect(await auditCount('retention.update', null)).toBe(before);
    expect((await call(app, admin, routes.getRetention)).body).toEqual({
      settings: DEFAULTS,
      updatedOn: null,
    });
  });

  it('change in one audited step', async () => {
    const before = await auditCount('retention.update', null);
    const next = { ...DEFAULTS, closedCaseDays: 120, untriagedIntakeDays: 14 };
    const res = await call(app, admin, routes.updateRetention, { body: next });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual(next);
    expect(res.body.updatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await auditCount('retention.update', null)).toBe(before + 1);
    // Back to the defaults for the job tests below.
    expect((await call(app, admin, routes.updateRetention, { body: DEFAULTS })).status).toBe(200);
  });

  it('keep the audit log forever by default; a period is named in its audit event', async () => {
    const named = (days: string) => auditCount('retention.update', `audit_log_days:${days}`);
    const res = await call(app, admin, routes.updateRetention, {
      body: { ...DEFAULTS, auditLogDays: 365 },
    });
    expect(res.status).toBe(200);
    expect((res.body as unknown as RetentionResponse).settings.auditLogDays).toBe(365);
    expect(await named('365')).toBe(1);
    const back = await call(app, admin, routes.updateRetention, { body: DEFAULTS });
    expect((back.body as unknown as RetentionResponse).settings.auditLogDays).toBeNull();
    expect(await named('forever')).toBe(1);
    // The database holds the same bounds, whoever writes.
    await expect(db.query('UPDATE retention_settings SET audit_log_days = 364')).rejects.toThrow(
      /retention_settings_audit_log/,
    );
  });
});

describe('the schema', () => {
  it('cascades every foreign key onto case_file, so a purge cannot leave a table behind', async () => {
    const fks = await db.query<{ tbl: string; conname: string; confdeltype: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname, confdeltype
         FROM pg_constraint WHERE contype = 'f' AND confrelid = 'case_file'::regclass
        ORDER BY 1, 2`,
    );
    const tables = fks.rows.map((r) => r.tbl);
    for (const known of [
      'case_grant',
      'case_entry',
      'case_blind_index',
      'intake_thread',
      'case_purge_request',
    ]) {
      expect(tables).toContain(known);
    }
    expect(fks.rows.filter((r) => r.confdeltype !== 'c')).toEqual([]);
  });

  it('gives the app role no way to add or remove the single settings rows', async () => {
    const rights = await db.query<{ t: string; p: string }>(
      `SELECT table_name AS t, privilege_type AS p FROM information_schema.role_table_grants
        WHERE grantee = 'haven_app' AND table_name IN ('retention_settings', 'lockdown_state')
          AND privilege_type IN ('INSERT', 'DELETE')`,
    );
    expect(rights.rows).toEqual([]);
  });
});

describe('the purge job', () => {
  it('crypto-shreds a case closed past retention and leaves nothing that names it', async () => {
    const due = await openCase();
    const recent = await openCase();
    const open = await openCase();
    await closeDaysAgo(due.id, 91);
    await closeDaysAgo(recent.id, 90);
    const lookupId = await linkThread(due.id);
    // The caseworker can read it before the purge.
    expect((await call(app, worker, routes.getCase, { params: { code: due.code } })).status).toBe(
      200,
    );
    expect(
      await count('SELECT count(*)::int AS n FROM case_grant WHERE case_id = $1', [due.id]),
    ).toBe(3);
    const eventsBefore = await count('SELECT count(*)::int AS n FROM audit_event');

    const run = await app.get(PurgeService).runOnce();
    expect(run).toMatchObject({ ran: true, purged: { closedCases: 1 } });

    expect(await rowsNaming(due.id, due.code)).toEqual([]);
    expect(
      await count('SELECT count(*)::int AS n FROM intake_thread WHERE lookup_id = $1', [lookupId]),
    ).toBe(0);
    // The purge added exactly one event: case.purge with the code, no actor, nothing else.
    const added = await db.query(
      `SELECT actor, role, action, target, outcome FROM audit_event WHERE seq > $1 ORDER BY seq`,
      [eventsBefore],
    );
    expect(added.rows).toEqual([
      { actor: null, role: null, action: 'case.purge', target: due.code, outcome: 'ok' },
    ]);
    // Earlier events name the case by its random code only, never by its id.
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_event a WHERE a::text ILIKE $1`, [
        `%${due.id}%`,
      ]),
    ).toBe(0);
    // Former grantees: no grant row, nothing to fetch.
    expect(
      await count('SELECT count(*)::int AS n FROM case_grant WHERE case_id = $1', [due.id]),
    ).toBe(0);
    for (const who of [worker, colleague, coordA]) {
      expect((await call(app, who, routes.getCase, { params: { code: due.code } })).status).toBe(
        404,
      );
    }
    // Closed 90 days ago (not more) and open cases stay.
    for (const kept of [recent, open]) {
      expect(
        (await call(app, worker, routes.getCase, { params: { code: kept.code } })).status,
      ).toBe(200);
    }
  });

  it('follows the setting: a shorter period purges the recent one too', async () => {
    const c = await openCase();
    await closeDaysAgo(c.id, 10);
    expect(await app.get(PurgeService).runOnce()).toMatchObject({ purged: { closedCases: 0 } });
    await call(app, admin, routes.updateRetention, { body: { ...DEFAULTS, closedCaseDays: 7 } });
    try {
      const run = await app.get(PurgeService).runOnce();
      expect(run.ran && run.purged.closedCases).toBeGreaterThanOrEqual(1);
      expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(0);
    } finally {
      await call(app, admin, routes.updateRetention, { body: DEFAULTS });
    }
  });

  it('skips its turn while another runner holds the lock', async () => {
    const c = await openCase();
    await closeDaysAgo(c.id, 200);
    const other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [PURGE_LOCK]);
      expect(await app.get(PurgeService).runOnce()).toEqual({ ran: false });
      expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(1);
      await other.query('ROLLBACK');
    } finally {
      await other.end();
    }
    expect(await app.get(PurgeService).runOnce()).toMatchObject({ ran: true });
    expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(0);
  });

  it('never purges twice when two replicas run at once', async () => {
    const cases = [await openCase(), await openCase(), await openCase()];
    for (const c of cases) await closeDaysAgo(c.id, 365);
    const runs = await Promise.all(
      [app, replica, app, replica].map((a) => a.get(PurgeService).runOnce()),
    );
    const purged = runs.reduce((sum, r) => sum + (r.ran ? r.purged.closedCases : 0), 0);
    expect(purged).toBe(3);
    for (const c of cases) {
      expect(await auditCount('case.purge', c.code)).toBe(1);
      expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(0);
    }
  });
});

describe('intake retention', () => {
  const envelope = () => Buffer.concat([Buffer.from([1, 4]), randomBytes(1024 + 82)]);

  async function submission(daysAgo: number, caseId: string | null = null) {
    const lookupId = randomBytes(16);
    await db.query(
      `INSERT INTO intake_thread (lookup_id, reply_public_key, created_on, case_id)
       VALUES ($1, $2, current_date - $3::int, $4)`,
      [lookupId, randomBytes(32), daysAgo, caseId],
    );
    await db.query(
      `INSERT INTO intake_submission (lookup_id, envelope, urgency, received_on, key_version)
       VALUES ($1, $2, 'urgent', current_date - $3::int, 1)`,
      [lookupId, envelope(), daysAgo],
    );
    await db.query(
      `INSERT INTO intake_message (lookup_id, position, direction, envelope, created_on, key_version)
       VALUES ($1, 1, 'from_person', $2, current_date - $3::int, 1)`,
      [lookupId, envelope(), daysAgo],
    );
    return lookupId;
  }

  const left = (table: string, lookupId: Buffer) =>
    count(`SELECT count(*)::int AS n FROM ${table} WHERE lookup_id = $1`, [lookupId]);

  it('deletes submissions nobody triaged in time, with their unlinked thread', async () => {
    const old = await submission(31);
    const fresh = await submission(30);
    const linkedCase = await openCase();
    const linked = await submission(40, linkedCase.id);
    const before = await auditCount('intake.purge', null);

    const run = await app.get(PurgeService).runOnce();
    expect(run.ran && run.purged.untriagedIntake).toBeGreaterThanOrEqual(2);

    for (const table of ['intake_submission', 'intake_message', 'intake_thread']) {
      expect(await left(table, old)).toBe(0);
      expect(await left(table, fresh)).toBe(1);
    }
    // A thread a case holds on to stays with the case (and goes when the case is purged).
    expect(await left('intake_submission', linked)).toBe(0);
    expect(await left('intake_thread', linked)).toBe(1);
    expect(await left('intake_message', linked)).toBe(1);
    expect(await auditCount('intake.purge', null)).toBe(before + 1);
  });
});

describe('purge now', () => {
  const reason = 'consent_withdrawn';

  it('needs a second coordinator, and then leaves nothing of the case', async () => {
    const c = await openCase();
    // A caseworker holding a grant is told only coordinators may ask; others see no case.
    expect(
      (
        await call(app, worker, routes.requestCasePurge, {
          params: { code: c.code },
          body: { reason },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(app, coordB, routes.requestCasePurge, {
          params: { code: c.code },
          body: { reason },
        })
      ).status,
    ).toBe(404);
    const bad = await call(app, coordA, routes.requestCasePurge, {
      params: { code: c.code },
      body: { reason: 'because', note: 'free text' },
    });
    expect(bad.status).toBe(400);

    const asked = await call(app, coordA, routes.requestCasePurge, {
      params: { code: c.code },
      body: { reason },
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ caseCode: c.code, reason, mine: true });
    const requestId = String(asked.body.id);
    expect(await auditCount('case.purge_request', c.code)).toBe(1);
    const again = await call(app, coordA, routes.requestCasePurge, {
      params: { code: c.code },
      body: { reason },
    });
    expect(again.status).toBe(409);

    // Both coordinators see it; only the other may confirm.
    const listA = await call(app, coordA, routes.listPurgeRequests);
    expect(listA.body.requests).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: requestId, mine: true })]),
    );
    const listB = await call(app, coordB, routes.listPurgeRequests);
    expect(listB.body.requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: requestId,
          mine: false,
          caseCode: c.code,
          requestedByName: coordA.username,
        }),
      ]),
    );
    const self = await call(app, coordA, routes.confirmPurgeRequest, { params: { requestId } });
    expect(self.status).toBe(409);
    expect(self.body.message).toContain('different coordinator');
    expect(await auditCount('case.purge_confirm', c.code, 'denied:same_coordinator')).toBe(1);
    expect(
      (await call(app, worker, routes.confirmPurgeRequest, { params: { requestId } })).status,
    ).toBe(403);
    expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(1);

    const done = await call(app, coordB, routes.confirmPurgeRequest, { params: { requestId } });
    expect(done).toEqual({ status: 200, body: { caseCode: c.code } });
    expect(await auditCount('case.purge_confirm', c.code)).toBe(1);
    expect(await auditCount('case.purge', c.code)).toBe(1);
    expect(await rowsNaming(c.id, c.code)).toEqual([]);
    expect((await call(app, worker, routes.getCase, { params: { code: c.code } })).status).toBe(
      404,
    );
    // Confirming again finds nothing.
    expect(
      (await call(app, coordB, routes.confirmPurgeRequest, { params: { requestId } })).status,
    ).toBe(404);
  });

  it('expires after 24 hours', async () => {
    const c = await openCase();
    const asked = await call(app, coordA, routes.requestCasePurge, {
      params: { code: c.code },
      body: { reason: 'safety_risk' },
    });
    expect(asked.status).toBe(201);
    const expires = new Date(String(asked.body.expiresAt)).getTime();
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const requestId = String(asked.body.id);
    await db.query(
      `UPDATE case_purge_request SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [requestId],
    );
    const listed = await call(app, coordB, routes.listPurgeRequests);
    expect(JSON.stringify(listed.body)).not.toContain(requestId);
    const late = await call(app, coordB, routes.confirmPurgeRequest, { params: { requestId } });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('expired');
    expect(await auditCount('case.purge_confirm', c.code, 'denied:expired')).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(1);
    // The case can be asked for again, and the job clears requests nobody confirmed.
    const again = await call(app, coordA, routes.requestCasePurge, {
      params: { code: c.code },
      body: { reason: 'safety_risk' },
    });
    expect(again.status).toBe(201);
    await db.query(`UPDATE case_purge_request SET expires_at = now() - interval '1 second'`);
    const run = await app.get(PurgeService).runOnce();
    expect(run.ran && run.purged.expiredPurgeRequests).toBeGreaterThanOrEqual(1);
    expect(await count('SELECT count(*)::int AS n FROM case_purge_request')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM case_file WHERE id = $1', [c.id])).toBe(1);
  });
});

describe("the dashboard's periodic session check", () => {
  it('does not keep a session awake: "who am I" leaves the idle clock alone', async () => {
    const seen = async () =>
      (
        await db.query<{ s: number }>(
          `SELECT extract(epoch FROM now() - last_seen_at)::int AS s FROM session
            WHERE user_id = $1`,
          [worker.id],
        )
      ).rows[0].s;
    await db.query(
      `UPDATE session SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1`,
      [worker.id],
    );
    expect((await call(app, worker, routes.me)).status).toBe(200);
    expect(await seen()).toBeGreaterThanOrEqual(299);
    expect((await call(app, worker, routes.followUps)).status).toBe(200);
    expect(await seen()).toBeLessThan(60);
  });
});

describe('emergency lockdown', () => {
  it('ends every other session, admits only admins, and is audited both ways', async () => {
    // Real accounts for the sign-in part (Argon2id), in the same database.
    const org = await setUpOrganisation(app, scratch.url);
    const adminToken = await signIn(app, org.admin);
    const caseworker = await inviteAndAccept(app, adminToken, 'caseworker');
    const workerToken = await signIn(app, caseworker);
    const me = (token: string) =>
      app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) });
    expect((await me(workerToken)).statusCode).toBe(200);

    const asAdmin = { ...admin, token: adminToken };
    expect((await call(app, asAdmin, routes.getLockdown)).body).toEqual({
      active: false,
      since: null,
    });
    expect(
      (await call(app, worker, routes.enterLockdown, { body: { confirm: 'LOCKDOWN' } })).status,
    ).toBe(403);
    const noConfirm = await call(app, asAdmin, routes.enterLockdown, { body: { confirm: 'yes' } });
    expect(noConfirm.status).toBe(400);
    expect(
      await count('SELECT count(*)::int AS n FROM lockdown_state WHERE since_on IS NULL'),
    ).toBe(1);

    const sessionsBefore = await count('SELECT count(*)::int AS n FROM session');
    expect(sessionsBefore).toBeGreaterThan(3);
    const entered = await call(app, asAdmin, routes.enterLockdown, {
      body: { confirm: 'LOCKDOWN' },
    });
    expect(entered.status).toBe(200);
    expect(entered.body).toMatchObject({ active: true });
    expect(await auditCount('lockdown.enter', null)).toBe(1);
    // Every session but the caller's is gone: other admins' (the seeded admin's) included.
    expect(await count('SELECT count(*)::int AS n FROM session')).toBe(1);
    expect((await me(workerToken)).statusCode).toBe(401);
    expect((await call(app, admin, routes.getLockdown)).status).toBe(401);
    expect((await me(adminToken)).statusCode).toBe(200);
    expect(
      (await call(app, asAdmin, routes.enterLockdown, { body: { confirm: 'LOCKDOWN' } })).status,
    ).toBe(409);

    // A caseworker with the right password and code is refused, clearly, and audited.
    // (The refusal does not use up the code: the same one works once lockdown is lifted.)
    const code = await nextCode(caseworker);
    const refused = await post(app, routes.login.path, {
      username: caseworker.username,
      authKey: b64(caseworker.authKey),
      totpCode: code,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ message: LOCKDOWN_SIGN_IN_MESSAGE, code: 'LOCKDOWN' });
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(await auditCount('auth.login', caseworker.userId, 'denied:lockdown')).toBe(1);
    // A session made in a race with lockdown ends at its first use.
    const racedToken = await insertSession(db, colleague.id);
    expect((await me(racedToken)).statusCode).toBe(401);

    // An admin signs in.
    const second = await post(app, routes.login.path, {
      username: org.admin.username,
      authKey: b64(org.admin.authKey),
      totpCode: await nextCode(org.admin),
    });
    expect(second.statusCode).toBe(200);
    const secondToken = sessionTokenOf(second.headers['set-cookie']);

    const lifted = await call(app, { ...asAdmin, token: secondToken }, routes.liftLockdown);
    expect(lifted).toEqual({ status: 200, body: { active: false, since: null } });
    expect(await auditCount('lockdown.lift', null)).toBe(1);
    expect((await call(app, asAdmin, routes.liftLockdown)).status).toBe(409);
    // Everyone may sign in again.
    const back = await post(app, routes.login.path, {
      username: caseworker.username,
      authKey: b64(caseworker.authKey),
      totpCode: code,
    });
    expect(back.statusCode).toBe(200);
  });
});
