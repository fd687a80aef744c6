/**
 * Who reaches a case. Generated from the route table: for EVERY case route, a caseworker
 * without a grant gets exactly the 404 a nonexistent case gets, the refusal is audited with the
 * code asked for, and nothing is written. Auditors, admins and partners reach no case route.
 * Also the staff directory and the blind-index key's distribution (in a scratch database of its
 * own, because there is one index key per organisation).
 */
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CASE_SCOPED_ROUTES,
  INDEX_KEY_ID,
  REFERRAL_CASE_SCOPED_ROUTES,
  routes,
  type RouteDefinition,
} from '@haven/contracts';
import {
  fromBase64,
  generateIndexKey,
  initCrypto,
  openGrant as openAnyGrant,
  sealGrant,
  toBase64,
  verifyCertificateChain,
} from '@haven/crypto';
import pg from 'pg';
import {
  call,
  grantTo,
  newCase,
  person,
  seedStaff,
  type Person,
  type TestStaff,
} from './cases-fixtures';
import { scratchDatabase, startTestApp, testDatabaseUrl } from './support/test-app';

let app: NestFastifyApplication;
let db: pg.Client;
let staff: TestStaff;
let owner: Person;
let supervisor: Person;
let stranger: Person;

beforeAll(async () => {
  await initCrypto();
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  staff = await seedStaff(db, {
    owner: 'caseworker',
    supervisor: 'coordinator',
    stranger: 'caseworker',
    partner: 'partner',
    auditor: 'auditor',
  });
  owner = person(staff, 'owner');
  supervisor = person(staff, 'supervisor');
  stranger = person(staff, 'stranger');
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
  await db.end();
});

/**
 * Every route of the table whose path names a case, whichever feature serves it (the cases
 * feature's own, and e.g. triage's replies on a case): all go through the same guard.
 */
const CASE_ROUTE_NAMES = Object.entries(routes as Record<string, RouteDefinition>)
  .filter(([, r]) => r.path.includes(':code'))
  .map(([name]) => name)
  .sort();

/** A body of the right shape for each case route (the refusal must not depend on it). */
function sampleBody(name: string, c: ReturnType<typeof newCase>): unknown {
  const note = { id: randomUUID(), envelope: c.body.summary };
  switch (name) {
    case 'updateCase':
      return { expectedVersion: 1, priority: 'routine' };
    case 'changeCaseStatus':
      return { expectedVersion: 1, status: 'active' };
    case 'createCaseEntry':
      return { id: randomUUID(), envelope: c.body.summary };
    case 'updateCaseEntry':
      return { expectedVersion: 1, envelope: c.body.summary, followUpOn: null };
    case 'shareCase':
      return { ...grantTo(c.key, stranger, stranger), note };
    case 'assignCase':
      return { assigneeId: stranger.id, grant: grantTo(c.key, stranger, stranger).envelope };
    case 'rotateCase':
      return {
        fromVersion: 1,
        toVersion: 2,
        profile: c.body.profile,
        summary: c.body.summary,
        entries: [],
        grants: c.body.grants,
      };
    default:
      return (routes as Record<string, RouteDefinition>)[name]?.method === 'GET' ? undefined : {};
  }
}

async function snapshot(caseId: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT row_to_json(c)::text AS c,
            (SELECT json_agg(g ORDER BY user_id)::text FROM case_grant g WHERE g.case_id = $1) AS g,
            (SELECT count(*) FROM case_entry e WHERE e.case_id = $1) AS e
       FROM case_file c WHERE c.id = $1`,
    [caseId],
  );
  return JSON.stringify(rows[0]);
}

describe('a caseworker without a grant', () => {
  let c: ReturnType<typeof newCase> & { code: string };

  beforeAll(async () => {
    const made = newCase(owner, supervisor);
    const res = await call(app, owner, routes.createCase, { body: made.body });
    expect(res.status).toBe(201);
    c = { ...made, code: res.body.code as string };
  });

  it.each(CASE_ROUTE_NAMES.map((name) => [name]))(
    '%s answers 404 exactly as for a nonexistent case, audited, nothing written',
    async (name) => {
      const route = (routes as Record<string, RouteDefinition>)[name];
      const before = await snapshot(c.id);
      const { rows: last } = await db.query<{ seq: string }>(
        'SELECT coalesce(max(seq), 0) AS seq FROM audit_event',
      );
      const params = { code: c.code, entryId: randomUUID(), userId: owner.id };
      const body = sampleBody(name, c);
      const refused = await call(app, stranger, route, { params, body });
      expect(refused.status).toBe(404);
      // This very refusal is in the log, with the code that was asked for.
      const { rows } = await db.query(
        `SELECT action, outcome FROM audit_event WHERE seq > $1 AND actor = $2 AND target = $3`,
        [last[0]?.seq, stranger.id, c.code],
      );
      expect(rows).toEqual([{ action: 'case.access', outcome: 'denied:not_found' }]);

      const absent = await call(app, stranger, route, {
        params: { ...params, code: 'ZZZZ-ZZZZ' },
        body,
      });
      expect(absent.status).toBe(404);
      expect(refused.body).toEqual(absent.body);
      expect(refused.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });

      expect(await snapshot(c.id)).toBe(before);
    },
  );

  it('covers every route of the cases feature', () => {
    expect(CASE_ROUTE_NAMES).toEqual(expect.arrayContaining([...CASE_SCOPED_ROUTES]));
    // and the referral routes that name a case (consent, the referrals tab, proposals)
    expect(CASE_ROUTE_NAMES).toEqual(expect.arrayContaining([...REFERRAL_CASE_SCOPED_ROUTES]));
  });

  it.each([['partner'], ['auditor']])('a %s reaches no case route', async (nick) => {
    const who = person(staff, nick);
    for (const name of CASE_ROUTE_NAMES) {
      const res = await call(app, who, (routes as Record<string, RouteDefinition>)[name], {
        params: { code: c.code, entryId: randomUUID(), userId: owner.id },
        body: sampleBody(name, c),
      });
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
    }
    for (const route of [
      routes.listCases,
      routes.followUps,
      routes.indexKey,
      routes.staffDirectory,
    ]) {
      expect((await call(app, who, route)).status).toBe(403);
    }
    expect((await call(app, who, routes.createCase, { body: c.body })).status).toBe(403);
  });

  it('an admin reaches no case route either', async () => {
    const res = await call(app, staff.admin, routes.getCase, { params: { code: c.code } });
    expect(res.status).toBe(404);
  });

  it('nobody signed out reaches anything', async () => {
    expect((await call(app, null, routes.getCase, { params: { code: c.code } })).status).toBe(401);
    expect((await call(app, null, routes.listCases)).status).toBe(401);
  });
});

describe('the staff directory', () => {
  it('lists certified caseworkers and coordinators with chains to the root', async () => {
    const res = await call(app, owner, routes.staffDirectory, { query: { role: 'coordinator' } });
    expect(res.status).toBe(200);
    const entries = res.body.staff as { id: string; role: string; certificateChain: string[] }[];
    const mine = entries.find((e) => e.id === supervisor.id);
    expect(mine).toMatchObject({ role: 'coordinator' });
    const key = verifyCertificateChain(
      (mine?.certificateChain ?? []).map((c) => fromBase64(c)),
      staff.org.root.publicKey,
      { subjectId: supervisor.id, roles: ['coordinator'] },
    );
    expect(key.subjectId).toBe(supervisor.id);
    expect(entries.every((e) => e.role === 'coordinator')).toBe(true);
    expect(entries.some((e) => e.id === staff.admin.id)).toBe(false);
  });
});

describe('the blind-index key', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let scratchApp: NestFastifyApplication;
  let scratchDb: pg.Client;
  let org: TestStaff;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    scratchDb = new pg.Client({ connectionString: scratch.url });
    await scratchDb.connect();
    org = await seedStaff(scratchDb, { c1: 'coordinator', c2: 'coordinator', w: 'caseworker' });
    scratchApp = await startTestApp({ config: { databaseUrl: scratch.url } });
  });

  afterAll(async () => {
    await scratchApp.close();
    await scratchDb.end();
    await scratch.drop();
  });

  it('is created by the first coordinator, then sealed by holders to everyone else', async () => {
    const c1 = person(org, 'c1');
    const w = person(org, 'w');
    const subject = { scope: 'index' as const, id: INDEX_KEY_ID, version: 1 };
    const key = generateIndexKey();

    const before = await call(scratchApp, w, routes.indexKey);
    expect(before.body).toEqual({ version: null, grant: null, missing: [] });
    const byWorker = await call(scratchApp, w, routes.grantIndexKey, {
      body: { version: 1, grants: [] },
    });
    expect(byWorker.status).toBe(403);

    // Creation must be one grant to oneself.
    const toOther = await call(scratchApp, c1, routes.grantIndexKey, {
      body: {
        version: 1,
        grants: [
          {
            userId: w.id,
            envelope: toBase64(sealGrant(subject, key, w.user.certified, c1.user.keys)),
          },
        ],
      },
    });
    expect(toOther.status).toBe(409);
    const created = await call(scratchApp, c1, routes.grantIndexKey, {
      body: {
        version: 1,
        grants: [
          {
            userId: c1.id,
            envelope: toBase64(sealGrant(subject, key, c1.user.certified, c1.user.keys)),
          },
        ],
      },
    });
    expect(created.body).toEqual({ version: 1, granted: 1 });

    const holder = await call(scratchApp, c1, routes.indexKey);
    expect(holder.body.version).toBe(1);
    const missing = holder.body.missing as string[];
    expect(missing.sort()).toEqual([person(org, 'c2').id, w.id].sort());

    const shared = await call(scratchApp, c1, routes.grantIndexKey, {
      body: {
        version: 1,
        grants: [
          {
            userId: w.id,
            envelope: toBase64(sealGrant(subject, key, w.user.certified, c1.user.keys)),
          },
        ],
      },
    });
    expect(shared.body).toEqual({ version: 1, granted: 1 });
    const theirs = await call(scratchApp, w, routes.indexKey);
    const opened = openAnyGrant(fromBase64(theirs.body.grant as string), {
      subject,
      grantee: w.user.keys,
      granter: c1.user.certified,
    });
    expect(Buffer.from(opened).equals(Buffer.from(key))).toBe(true);
  });
});
