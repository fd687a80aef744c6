/**
 * The authorisation matrix: every route of the real app × every kind of caller → the status it
 * must answer. The expectations are written out by hand below; the routes are walked from the
 * app's own route table, so a route missing from MATRIX (or listed there but not served) fails
 * the first test. Each cell is exercised for real with its own session, so a route that ends
 * the session (sign-out) does not disturb the next cell.
 *
 * Every request is well formed (valid JSON, CSRF header for signed-in callers, path ids that
 * name nothing): the statuses show what the policy decides, then what the handler answers to
 * someone who got through.
 */
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { routes } from '@haven/contracts';
import { Caller } from '../src/access/caller';
import { Policy } from '../src/access/policy.decorator';
import { routeInventory } from '../src/access/route-inventory';
import { call, newCase, person, seedStaff } from './cases-fixtures';
import { asUser, insertSession, insertStaff } from './support/accounts';
import { type ScratchDatabase, scratchDatabase, startTestApp } from './support/test-app';
import pgModule from 'pg';

const WHO = [
  'anonymous',
  'admin',
  'coordinator',
  'caseworker',
  'partner',
  'auditor',
  'caseworkerWithoutGrant',
] as const;
type Who = (typeof WHO)[number];
type Row = Record<Who, number>;

/** The same status for everyone (public routes). */
const everyone = (status: number): Row => Object.fromEntries(WHO.map((w) => [w, status])) as Row;

/** 401 for anonymous, `staff` for every signed-in role. */
const anyStaff = (staff: number): Row => ({ ...everyone(staff), anonymous: 401 });

/** 401 for anonymous, `ok` for admins, 403 for every other role. */
const adminOnly = (ok: number): Row => ({ ...everyone(403), anonymous: 401, admin: ok });

/** 401 for anonymous, `ok` for the listed callers, 403 for the rest. */
const only = (ok: number, who: readonly Who[]): Row => ({
  ...everyone(403),
  anonymous: 401,
  ...Object.fromEntries(who.map((w) => [w, ok])),
});

const CASE_STAFF: readonly Who[] = ['caseworker', 'coordinator', 'caseworkerWithoutGrant'];
/** Who may use the assignee view: partner users and caseworkers (internal assignees). */
const ASSIGNEES: readonly Who[] = ['partner', 'caseworker', 'caseworkerWithoutGrant'];

/**
 * A case route: 401 for anonymous; `ok` for the listed callers, who hold a grant on the case;
 * 404 for everyone else — roles outside the policy and the caseworker without the grant alike.
 */
const onCase = (ok: number, who: readonly Who[] = ['caseworker', 'coordinator']): Row => ({
  ...everyone(404),
  anonymous: 401,
  ...Object.fromEntries(who.map((w) => [w, ok])),
});

interface Cell {
  /** Path parameter values (placeholders default to a fresh random UUID; `code` to the case). */
  params?: Record<string, string>;
  /** A value, or a function for a fresh one per caller (e.g. a username of their own). */
  body?: unknown;
  headers?: Record<string, string>;
  expect: Row;
}

const token43 = () => randomBytes(32).toString('base64url');
const b64 = (n: number) => randomBytes(n).toString('base64url');

/**
 * "METHOD /path" → what each caller gets. Public routes answer everyone alike; the rest answer
 * 401 to anonymous callers, 403 to roles the policy does not list, and for listed roles what
 * the handler makes of a request naming nothing that exists.
 */
const MATRIX: Record<string, Cell> = {
  'GET /api/health': { expect: everyone(200) },
  'GET /api/ready': { expect: everyone(200) },
  'GET /api/docs': { expect: everyone(200) },
  'GET /api/setup/status': { expect: everyone(200) },
  // Setup is complete in this database: every link is refused.
  'POST /api/setup/begin': { body: { token: token43() }, expect: everyone(403) },
  'POST /api/setup/complete': { body: { token: token43() }, expect: everyone(400) },
  'POST /api/auth/prelogin': { body: { username: 'nobody-here' }, expect: everyone(200) },
  // A username per caller: one username failing seven times in a row would be throttled.
  'POST /api/auth/login': {
    body: () => ({
      username: `nobody-${token43().slice(0, 8)}`,
      authKey: b64(32),
      totpCode: '000000',
    }),
    expect: everyone(401),
  },
  // A wrong authKey: 401 for everyone (anonymous has no session to unlock).
  'POST /api/auth/unlock': { body: { authKey: b64(32) }, expect: everyone(401) },
  'POST /api/auth/logout': { expect: anyStaff(204) },
  'GET /api/auth/me': { expect: anyStaff(200) },
  'GET /api/auth/keys': { expect: anyStaff(200) },
  'POST /api/auth/password': {
    body: {
      currentAuthKey: b64(32),
      newAuthKey: b64(32),
      wrappedUserKey: Buffer.concat([Buffer.from([1, 2, 1]), randomBytes(72)]).toString(
        'base64url',
      ),
    },
    expect: everyone(401),
  },
  'GET /api/sessions': { expect: anyStaff(200) },
  'DELETE /api/sessions/:sessionId': { expect: anyStaff(404) },
  'DELETE /api/sessions': { expect: anyStaff(204) },
  'POST /api/invitations': { body: { role: 'caseworker' }, expect: adminOnly(201) },
  'GET /api/invitations': { expect: adminOnly(200) },
  'DELETE /api/invitations/:invitationId': { expect: adminOnly(404) },
  'POST /api/invitations/inspect': { body: { token: token43() }, expect: everyone(403) },
  'POST /api/invitations/accept': { body: { token: token43() }, expect: everyone(400) },
  'GET /api/users': { expect: adminOnly(200) },
  'POST /api/users/:userId/certificate': {
    body: { certificate: b64(200) },
    expect: adminOnly(404),
  },
  'POST /api/users/:userId/disable': { expect: adminOnly(404) },
  'PUT /api/users/:userId/role': { body: { role: 'auditor' }, expect: adminOnly(404) },
  // ---- cases (owned by the cases feature; `code` is a case shared with caseworker and
  // coordinator but not with caseworkerWithoutGrant). Case routes answer 404, never 403, to
  // whoever may not reach the case; an empty body gets 400 from those who may.
  'GET /api/cases': { expect: only(200, CASE_STAFF) },
  'POST /api/cases': { body: {}, expect: only(400, CASE_STAFF) },
  'POST /api/cases/duplicates': { body: {}, expect: only(400, CASE_STAFF) },
  'GET /api/cases/:code': { expect: onCase(200) },
  'PATCH /api/cases/:code': { body: {}, expect: onCase(400) },
  'POST /api/cases/:code/status': { body: {}, expect: onCase(400) },
  'POST /api/cases/:code/entries': { body: {}, expect: onCase(400) },
  'PUT /api/cases/:code/entries/:entryId': { body: {}, expect: onCase(400) },
  'POST /api/cases/:code/grants': { body: {}, expect: onCase(400) },
  // Coordinators' work: a caseworker holding a grant is told so (403; an empty body is refused
  // first with 400); the coordinator gets through, but the user named has no grant.
  'DELETE /api/cases/:code/grants/:userId': {
    expect: { ...onCase(404, ['coordinator']), caseworker: 403 },
  },
  'POST /api/cases/:code/assignment': { body: {}, expect: onCase(400) },
  'POST /api/cases/:code/rotation': { body: {}, expect: onCase(400) },
  'GET /api/follow-ups': { expect: only(200, CASE_STAFF) },
  'GET /api/index-key': { expect: only(200, CASE_STAFF) },
  'POST /api/index-key/grants': { body: {}, expect: only(400, ['coordinator']) },
  'GET /api/directory/staff': { expect: only(200, CASE_STAFF) },
  // The public intake API (its own origin in production): the same for everyone.
  'GET /api/intake/key': { expect: everyone(200) },
  'POST /api/intake/submissions': { body: {}, expect: everyone(400) },
  'POST /api/intake/thread': { body: {}, expect: everyone(400) },
  'POST /api/intake/thread/messages': { body: {}, expect: everyone(400) },
  // ---- triage of anonymous intake and staff replies on its threads (docs/intake.md).
  'GET /api/triage/queue': { expect: only(200, ['coordinator']) },
  'POST /api/triage/submissions/:submissionId/case': {
    body: {},
    expect: only(400, ['coordinator']),
  },
  'POST /api/triage/submissions/:submissionId/discard': {
    body: {},
    expect: only(400, ['coordinator']),
  },
  'POST /api/triage/follow-ups/:messageId/file': { body: {}, expect: only(400, ['coordinator']) },
  'GET /api/triage/intake-key': { expect: only(200, ['admin', 'coordinator']) },
  'POST /api/triage/intake-key/grants': { body: {}, expect: only(400, ['admin', 'coordinator']) },
  // Rotation: the policy lets coordinators in, and the service refuses one without the key
  // (403, like every other role); intake-rotation.int-spec.ts covers a holder's 200.
  'GET /api/triage/intake-key/rotation/pending': { expect: only(403, ['coordinator']) },
  'POST /api/triage/intake-key/rotation': { body: {}, expect: only(400, ['coordinator']) },
  'POST /api/triage/intake-key/rotation/approve': { body: {}, expect: adminOnly(400) },
  'GET /api/cases/:code/threads': { expect: onCase(200) },
  'POST /api/cases/:code/replies': { body: {}, expect: onCase(400) },
  // ---- the audit log (auditors only; docs/audit.md) and aggregate reports.
  'GET /api/audit/events': { expect: only(200, ['auditor']) },
  'GET /api/audit/export': { expect: only(200, ['auditor']) },
  'GET /api/audit/log-key': { expect: only(200, ['auditor']) },
  'GET /api/audit/checkpoint': { expect: only(200, ['auditor']) },
  'POST /api/audit/verify': { body: {}, expect: only(200, ['auditor']) },
  'GET /api/audit/users': { expect: only(200, ['auditor']) },
  // The auditor gets through; the user named does not exist.
  'GET /api/audit/users/:userId/activity': { expect: only(404, ['auditor']) },
  'GET /api/audit/anomalies': { expect: only(200, ['auditor']) },
  'GET /api/reports/summary': { expect: only(200, ['coordinator', 'auditor']) },
  // ---- retention, purge-now and lockdown (docs/retention.md).
  'GET /api/retention': { expect: adminOnly(200) },
  'PUT /api/retention': { body: {}, expect: adminOnly(400) },
  // Coordinators holding a grant ask; a caseworker holding one is told only coordinators may.
  'POST /api/cases/:code/purge-request': {
    body: { reason: 'created_in_error' },
    expect: { ...onCase(201, ['coordinator']), caseworker: 403 },
  },
  'GET /api/purge-requests': { expect: only(200, ['coordinator']) },
  'POST /api/purge-requests/:requestId/confirm': { expect: only(404, ['coordinator']) },
  'GET /api/lockdown': { expect: adminOnly(200) },
  // Without the typed confirmation nothing happens (entering would end every other cell's session).
  'POST /api/lockdown': { body: {}, expect: adminOnly(400) },
  'DELETE /api/lockdown': { expect: adminOnly(409) },
  // ---- partners and referrals (docs/referrals.md). The directory is for admins and
  // coordinators; case-scoped referral routes behave like every case route; the board and
  // decisions are coordinators'; the assignee view is for partners and (internal assignees)
  // caseworkers, and answers 404 for a referral not assigned to the caller.
  'GET /api/partners': { expect: only(200, ['admin', 'coordinator']) },
  'POST /api/partners': { body: {}, expect: only(400, ['admin', 'coordinator']) },
  'PUT /api/partners/:partnerId': { body: {}, expect: only(400, ['admin', 'coordinator']) },
  'GET /api/partners/:partnerId/members': { expect: only(404, ['admin', 'coordinator']) },
  'PUT /api/cases/:code/consent': { body: {}, expect: onCase(400) },
  'DELETE /api/cases/:code/consent': { expect: onCase(200) },
  'GET /api/cases/:code/referrals': { expect: onCase(200) },
  'POST /api/cases/:code/referrals': { body: {}, expect: onCase(400) },
  'GET /api/referrals': { expect: only(200, ['coordinator']) },
  'POST /api/referrals/:referralId/assignment': { body: {}, expect: only(400, ['coordinator']) },
  'POST /api/referrals/:referralId/rejection': { body: {}, expect: only(400, ['coordinator']) },
  'POST /api/referrals/:referralId/revocation': { body: {}, expect: only(400, ['coordinator']) },
  // The proposer may cancel too; a well-formed body for a referral that does not exist: 404.
  'POST /api/referrals/:referralId/cancellation': {
    body: { expectedVersion: 1 },
    expect: only(404, CASE_STAFF),
  },
  'GET /api/partner/referrals': { expect: only(200, ASSIGNEES) },
  'GET /api/partner/referrals/:referralId': { expect: only(404, ASSIGNEES) },
  'POST /api/partner/referrals/:referralId/transitions': {
    body: { expectedVersion: 1, to: 'accepted' },
    expect: only(404, ASSIGNEES),
  },
};

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => params[name] ?? randomUUID());
}

describe('authorisation matrix', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let client: pg.Client;
  const users = new Map<Who, string>();
  /** A case shared with `caseworker` and `coordinator`, not with `caseworkerWithoutGrant`. */
  let caseCode: string;

  beforeAll(async () => {
    db = await scratchDatabase();
    // The intake rate limit would otherwise answer 429 to the seventh caller.
    app = await startTestApp({ config: { databaseUrl: db.url, intakeRateLimit: 1_000_000 } });
    client = new pgModule.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `INSERT INTO organisation (root_sign_pk, intake_box_pk, intake_key_signature)
       VALUES ($1, $2, $3)`,
      [randomBytes(32), randomBytes(32), randomBytes(64)],
    );
    await client.query('UPDATE instance SET setup_completed_on = current_date');
    const staff = await seedStaff(client, {
      coordinator: 'coordinator',
      caseworker: 'caseworker',
      partner: 'partner',
      auditor: 'auditor',
      caseworkerWithoutGrant: 'caseworker',
    });
    users.set('admin', staff.admin.id);
    for (const who of WHO) {
      if (who !== 'anonymous' && who !== 'admin') users.set(who, person(staff, who).id);
    }
    const opened = newCase(person(staff, 'caseworker'), person(staff, 'coordinator'));
    const created = await call(app, person(staff, 'caseworker'), routes.createCase, {
      body: opened.body,
    });
    if (created.status !== 201) throw new Error(`could not open the test case: ${created.status}`);
    caseCode = String(created.body.code);
  });

  afterAll(async () => {
    await client.end();
    await app.close();
    await db.drop();
  });

  it('lists every served route, and serves every listed route', () => {
    const served = routeInventory(app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(served).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.entries(MATRIX))('%s', async (route, cell) => {
    const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string];
    const seen: Partial<Row> = {};
    for (const who of WHO) {
      const userId = users.get(who);
      const session = userId ? asUser(await insertSession(client, userId)) : {};
      const body = typeof cell.body === 'function' ? (cell.body as () => unknown)() : cell.body;
      const res = await app.inject({
        method,
        url: fill(path, { code: caseCode, ...cell.params }),
        headers: {
          ...session,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...cell.headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      seen[who] = res.statusCode;
    }
    expect(seen).toEqual(cell.expect);
  });
});

// ---- case routes: the relation decides, and "no relation" looks like "no such case" ----------

@Controller()
class CaseProbeController {
  @Get('/api/test/cases/:caseId')
  @Policy({ roles: ['caseworker', 'coordinator'], case: 'grantee' })
  read(@Caller() caller: Caller): { reader: string } {
    return { reader: caller.userId };
  }
}

@Module({ controllers: [CaseProbeController] })
class CaseProbeModule {}

describe('case policies', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let client: pg.Client;

  beforeAll(async () => {
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url }, imports: [CaseProbeModule] });
    client = new pgModule.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await app.close();
    await db.drop();
  });

  it('answer 401 to anonymous callers, and 404 to a role outside the policy or a case out of reach', async () => {
    const url = `/api/test/cases/${randomUUID()}`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const results: Record<string, number> = {};
    for (const role of ['admin', 'auditor', 'partner', 'caseworker', 'coordinator'] as const) {
      const token = await insertSession(client, await insertStaff(client, role));
      const res = await app.inject({ method: 'GET', url, headers: asUser(token) });
      results[role] = res.statusCode;
      expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });
    }
    expect(results).toEqual({
      admin: 404,
      auditor: 404,
      partner: 404,
      caseworker: 404,
      coordinator: 404,
    });
  });
});
