/**
 * Cases end to end against the real AppModule and PostgreSQL, with real crypto from
 * libs/crypto playing the browsers: create, read, edit, status machine, contact log, share,
 * assign, revoke with rotation, the rotation-completeness check, stale writes, bad envelopes,
 * the duplicate check and "My follow-ups". Every refused write is checked to have written
 * nothing.
 */
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CASE_CODE_PATTERN,
  routes,
  STALE_WRITE_MESSAGE,
  type CaseDetail,
  type CaseListResponse,
} from '@haven/contracts';
import {
  blindIndex,
  fromBase64,
  generateIndexKey,
  initCrypto,
  isCryptoError,
  nextCaseKey,
  reencryptRecord,
  sealCaseKeyGrant,
  toBase64,
  type CaseKey,
} from '@haven/crypto';
import pg from 'pg';
import {
  call,
  entryRef,
  grantTo,
  newCase,
  open,
  openGrant,
  person,
  profileRef,
  sampleProfile,
  seal,
  seedStaff,
  summaryRef,
  type Person,
  type TestStaff,
} from './cases-fixtures';
import { startTestApp, testDatabaseUrl } from './support/test-app';

let app: NestFastifyApplication;
let db: pg.Client;
let staff: TestStaff;
let coordinator: Person; // supervises every case below
let otherCoordinator: Person;
let worker: Person; // creates the cases
let colleague: Person;
let outsider: Person; // a caseworker with no grant on anything here
let auditor: Person;

beforeAll(async () => {
  await initCrypto();
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  staff = await seedStaff(db, {
    coord: 'coordinator',
    coord2: 'coordinator',
    worker: 'caseworker',
    colleague: 'caseworker',
    outsider: 'caseworker',
    auditor: 'auditor',
  });
  coordinator = person(staff, 'coord');
  otherCoordinator = person(staff, 'coord2');
  worker = person(staff, 'worker');
  colleague = person(staff, 'colleague');
  outsider = person(staff, 'outsider');
  auditor = person(staff, 'auditor');
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
  await db.end();
});

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params);
  return Number(rows[0].n);
}

async function auditEvents(target: string): Promise<{ action: string; outcome: string }[]> {
  const { rows } = await db.query<{ action: string; outcome: string }>(
    'SELECT action, outcome FROM audit_event WHERE target = $1 ORDER BY seq',
    [target],
  );
  return rows;
}

async function createCase(
  creator = worker,
  supervisor = coordinator,
  options: Parameters<typeof newCase>[2] = {},
) {
  const c = newCase(creator, supervisor, options);
  const res = await call(app, creator, routes.createCase, { body: c.body });
  expect(res.status).toBe(201);
  return { ...c, code: res.body.code as string };
}

async function read(who: Person, code: string): Promise<CaseDetail> {
  const res = await call(app, who, routes.getCase, { params: { code } });
  expect(res.status).toBe(200);
  return res.body as unknown as CaseDetail;
}

describe('opening and reading a case', () => {
  it('stores only ciphertext and gives each grantee a key they can open', async () => {
    const c = await createCase();
    expect(c.code).toMatch(CASE_CODE_PATTERN);

    const detail = await read(worker, c.code);
    expect(detail).toMatchObject({
      id: c.id,
      status: 'new',
      priority: 'urgent',
      assigneeId: worker.id,
      supervisorId: coordinator.id,
      keyVersion: 1,
      version: 1,
      rotationDue: false,
      entries: [],
    });
    expect(detail.grants.map((g) => g.userId).sort()).toEqual([worker.id, coordinator.id].sort());

    // The coordinator's browser opens its grant (signed by the worker) and the profile.
    const asCoordinator = await read(coordinator, c.code);
    const key = openGrant(asCoordinator.myGrant, coordinator, worker, c.id, 1);
    expect(open(key, profileRef, asCoordinator.profile)).toEqual(sampleProfile());
    expect(open(key, summaryRef, asCoordinator.summary)).toEqual({
      alias: 'Sasha',
      headline: 'evacuation',
    });

    const { rows } = await db.query<{ profile: Buffer }>(
      'SELECT profile_envelope AS profile FROM case_file WHERE id = $1',
      [c.id],
    );
    expect(rows[0].profile.toString('latin1')).not.toContain('Sasha');
    expect(await auditEvents(c.code)).toEqual([
      { action: 'case.create', outcome: 'ok' },
      { action: 'case.read', outcome: 'ok' },
      { action: 'case.read', outcome: 'ok' },
    ]);
  });

  it('draws random, non-sequential codes', async () => {
    const a = await createCase();
    const b = await createCase();
    expect(a.code).not.toBe(b.code);
    expect(a.code.replace('-', '')).not.toBe(b.code.replace('-', ''));
  });

  it('refuses a case without two grantees, or without a grant to the supervisor', async () => {
    const c = newCase(worker, coordinator);
    const onlyMe = await call(app, worker, routes.createCase, {
      body: { ...c.body, grants: c.body.grants.slice(0, 1) },
    });
    expect(onlyMe.status).toBe(400);
    const noSupervisor = await call(app, worker, routes.createCase, {
      body: { ...c.body, grants: [c.body.grants[0], grantTo(c.key, colleague, worker)] },
    });
    expect(noSupervisor.status).toBe(400);
    expect(noSupervisor.body.message).toContain('supervisor');
    expect(await count('SELECT 1 FROM case_file WHERE id = $1', [c.id])).toBe(0);
  });

  it('refuses a grant addressed to someone else or signed by someone else', async () => {
    const c = newCase(worker, coordinator);
    const forged = {
      userId: coordinator.id,
      envelope: toBase64(sealCaseKeyGrant(c.key, coordinator.user.certified, colleague.user.keys)),
    };
    const res = await call(app, worker, routes.createCase, {
      body: { ...c.body, grants: [c.body.grants[0], forged] },
    });
    expect(res.status).toBe(400);
    expect(await count('SELECT 1 FROM case_file WHERE id = $1', [c.id])).toBe(0);
  });

  it('refuses a supervisor who is not a coordinator', async () => {
    const c = newCase(worker, colleague);
    const res = await call(app, worker, routes.createCase, { body: c.body });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('supervisorId');
  });

  it('refuses a malformed envelope with 400 and an oversized one with 413, writing nothing', async () => {
    const c = newCase(worker, coordinator);
    const garbage = toBase64(new Uint8Array(200).fill(7));
    const bad = await call(app, worker, routes.createCase, {
      body: { ...c.body, profile: garbage },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('profile is not a record envelope');

    const huge = seal(c.key, profileRef, { alias: 'x', blob: 'y'.repeat(300 * 1024) });
    const big = await call(app, worker, routes.createCase, { body: { ...c.body, profile: huge } });
    expect(big.status).toBe(413);
    expect(await count('SELECT 1 FROM case_file WHERE id = $1', [c.id])).toBe(0);
    expect(await count('SELECT 1 FROM case_grant WHERE case_id = $1', [c.id])).toBe(0);
  });

  it('refuses an envelope under another key version with 409', async () => {
    const c = newCase(worker, coordinator);
    const v2 = nextCaseKey(c.key);
    const res = await call(app, worker, routes.createCase, {
      body: { ...c.body, summary: seal(v2, summaryRef, { alias: 'x', headline: '' }) },
    });
    expect(res.status).toBe(409);
  });

  it('refuses a second case with the same id', async () => {
    const c = await createCase();
    const again = await call(app, worker, routes.createCase, { body: c.body });
    expect(again.status).toBe(409);
  });
});

describe('lists', () => {
  it('shows "my cases" with summaries and grants, newest first, a page at a time', async () => {
    const mine = await seedStaff(db, { w: 'caseworker', c: 'coordinator' });
    const w = person(mine, 'w');
    const c = person(mine, 'c');
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createCase(w, c, { alias: `P${i}` }));

    const first = await call(app, w, routes.listCases, { query: { scope: 'mine', limit: 2 } });
    expect(first.status).toBe(200);
    const page1 = first.body as unknown as CaseListResponse;
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await call(app, w, routes.listCases, {
      query: { scope: 'mine', limit: 2, cursor: page1.nextCursor ?? undefined },
    });
    const page2 = second.body as unknown as CaseListResponse;
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const codes = [...page1.items, ...page2.items].map((i) => i.code);
    expect(codes.sort()).toEqual(made.map((m) => m.code).sort());

    // Each summary opens with the key from the grant beside it.
    for (const item of [...page1.items, ...page2.items]) {
      const m = made.find((x) => x.code === item.code);
      expect(m).toBeDefined();
      const key = openGrant(item.grant ?? '', w, w, item.id, item.keyVersion);
      const summary = open(key, summaryRef, item.summary ?? '') as { alias: unknown };
      expect(typeof summary.alias).toBe('string');
    }
  });

  it('filters by status, priority and assignee', async () => {
    const mine = await seedStaff(db, { w: 'caseworker', c: 'coordinator' });
    const w = person(mine, 'w');
    const c = person(mine, 'c');
    const a = await createCase(w, c);
    const b = await createCase(w, c);
    await call(app, w, routes.changeCaseStatus, {
      params: { code: b.code },
      body: { expectedVersion: 1, status: 'active' },
    });
    const active = await call(app, w, routes.listCases, { query: { status: 'active' } });
    expect((active.body as unknown as CaseListResponse).items.map((i) => i.code)).toEqual([b.code]);
    const urgent = await call(app, w, routes.listCases, {
      query: { priority: 'urgent', assignee: w.id },
    });
    expect((urgent.body as unknown as CaseListResponse).items.map((i) => i.code).sort()).toEqual(
      [a.code, b.code].sort(),
    );
    const routine = await call(app, w, routes.listCases, { query: { priority: 'routine' } });
    expect((routine.body as unknown as CaseListResponse).items).toEqual([]);
  });

  it('gives coordinators every case with scope=all, content only where they hold a grant', async () => {
    const c = await createCase(worker, coordinator);
    const all = await call(app, otherCoordinator, routes.listCases, {
      query: { scope: 'all', limit: 100 },
    });
    expect(all.status).toBe(200);
    const item = (all.body as unknown as CaseListResponse).items.find((i) => i.code === c.code);
    expect(item).toMatchObject({ code: c.code, summary: null, grant: null });
  });

  it('keeps scope=all from caseworkers and shows them only their own cases', async () => {
    const c = await createCase(worker, coordinator);
    const all = await call(app, outsider, routes.listCases, { query: { scope: 'all' } });
    expect(all.status).toBe(403);
    const mine = await call(app, outsider, routes.listCases, { query: { scope: 'mine' } });
    const codes = (mine.body as unknown as CaseListResponse).items.map((i) => i.code);
    expect(codes).not.toContain(c.code);
  });

  it('refuses a cursor it did not make', async () => {
    const res = await call(app, worker, routes.listCases, { query: { cursor: 'bm9wZQ' } });
    expect(res.status).toBe(400);
  });
});

describe('edits', () => {
  it('applies an edit at the current version and refuses a stale one with 409', async () => {
    const c = await createCase();
    const edited = seal(c.key, profileRef, sampleProfile('Renamed'));
    const summary = seal(c.key, summaryRef, { alias: 'Renamed', headline: '' });
    const ok = await call(app, worker, routes.updateCase, {
      params: { code: c.code },
      body: { expectedVersion: 1, profile: edited, summary, priority: 'critical' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);

    const stale = await call(app, colleague, routes.updateCase, {
      params: { code: c.code },
      body: { expectedVersion: 1, priority: 'routine' },
    });
    expect(stale.status).toBe(404); // colleague has no grant
    const staleMine = await call(app, worker, routes.updateCase, {
      params: { code: c.code },
      body: {
        expectedVersion: 1,
        profile: seal(c.key, profileRef, sampleProfile('Lost')),
        summary,
      },
    });
    expect(staleMine.status).toBe(409);
    expect(staleMine.body.message).toBe(STALE_WRITE_MESSAGE);
    expect(staleMine.body.code).toBe('STALE_VERSION');

    const detail = await read(worker, c.code);
    expect(detail.version).toBe(2);
    expect(detail.priority).toBe('critical');
    expect(open(c.key, profileRef, detail.profile)).toMatchObject({ alias: 'Renamed' });
  });

  it('refuses a profile without its summary', async () => {
    const c = await createCase();
    const res = await call(app, worker, routes.updateCase, {
      params: { code: c.code },
      body: { expectedVersion: 1, profile: seal(c.key, profileRef, sampleProfile()) },
    });
    expect(res.status).toBe(400);
  });
});

describe('the status machine', () => {
  it('walks new → active → referred → active → closed and reopens only with a reason', async () => {
    const c = await createCase();
    const move = (status: string, expectedVersion: number, note?: unknown) =>
      call(app, worker, routes.changeCaseStatus, {
        params: { code: c.code },
        body: { expectedVersion, status, ...(note ? { note } : {}) },
      });
    expect((await move('closed', 1)).status).toBe(409); // new → closed is not a step
    expect((await move('active', 1)).status).toBe(200);
    expect((await move('new', 2)).status).toBe(409);
    expect((await move('referred', 2)).status).toBe(200);
    expect((await move('active', 3)).status).toBe(200);
    const closed = await move('closed', 4);
    expect(closed.body).toMatchObject({ status: 'closed', version: 5 });
    expect((await read(worker, c.code)).closedOn).toEqual(expect.any(String));

    const noReason = await move('active', 5);
    expect(noReason.status).toBe(400);
    const noteId = randomUUID();
    const note = {
      id: noteId,
      envelope: seal(c.key, entryRef('status_note', noteId), {
        from: 'closed',
        to: 'active',
        reason: 'She wrote again',
      }),
    };
    const stale = await move('active', 4, note);
    expect(stale.status).toBe(409);
    expect(await count('SELECT 1 FROM case_entry WHERE id = $1', [noteId])).toBe(0);

    const reopened = await move('active', 5, note);
    expect(reopened.status).toBe(200);
    const detail = await read(worker, c.code);
    expect(detail.status).toBe('active');
    expect(detail.closedOn).toBeNull();
    expect(detail.entries.map((e) => e.kind)).toEqual(['status_note']);
    expect(open(c.key, entryRef('status_note', noteId), detail.entries[0].envelope)).toMatchObject({
      reason: 'She wrote again',
    });
    expect((await auditEvents(c.code)).filter((e) => e.action === 'case.status')).toHaveLength(5);
  });
});

describe('the contact log', () => {
  it('logs contacts in order, with follow-ups in "My follow-ups"', async () => {
    const c = await createCase();
    const ids: string[] = [randomUUID(), randomUUID()];
    const today = new Date().toISOString().slice(0, 10);
    for (const [i, id] of ids.entries()) {
      const res = await call(app, worker, routes.createCaseEntry, {
        params: { code: c.code },
        body: {
          id,
          envelope: seal(c.key, entryRef('contact', id), {
            date: today,
            channel: 'messenger',
            direction: i === 0 ? 'inbound' : 'outbound',
            summary: `contact ${i}`,
            nextStep: 'call back',
          }),
          followUpOn: i === 1 ? today : null,
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.ordinal).toBe(i + 1);
    }
    const detail = await read(worker, c.code);
    expect(detail.entries.map((e) => e.id)).toEqual(ids);
    expect(detail.entries[1]).toMatchObject({ followUpOn: today, followUpUserId: worker.id });

    const due = await call(app, worker, routes.followUps);
    expect(due.status).toBe(200);
    const items = (due.body.due as { entryId: string; grant: string; envelope: string }[]).filter(
      (f) => ids.includes(f.entryId),
    );
    expect(items).toHaveLength(1);
    const key = openGrant(items[0].grant, worker, worker, c.id, 1);
    expect(open(key, entryRef('contact', ids[1]), items[0].envelope)).toMatchObject({
      summary: 'contact 1',
    });
    // Nobody else sees it in their follow-ups.
    const theirs = await call(app, coordinator, routes.followUps);
    expect(JSON.stringify(theirs.body)).not.toContain(ids[1]);
  });

  it('edits an entry at its version and refuses a stale edit', async () => {
    const c = await createCase();
    const id = randomUUID();
    const body = (summary: string) =>
      seal(c.key, entryRef('contact', id), {
        date: '2026-01-02',
        channel: 'phone',
        direction: 'inbound',
        summary,
        nextStep: '',
      });
    await call(app, worker, routes.createCaseEntry, {
      params: { code: c.code },
      body: { id, envelope: body('first') },
    });
    const edit = (expectedVersion: number, summary: string) =>
      call(app, worker, routes.updateCaseEntry, {
        params: { code: c.code, entryId: id },
        body: { expectedVersion, envelope: body(summary), followUpOn: '2026-01-10' },
      });
    expect((await edit(1, 'second')).status).toBe(200);
    const stale = await edit(1, 'lost');
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(STALE_WRITE_MESSAGE);
    const detail = await read(worker, c.code);
    expect(open(c.key, entryRef('contact', id), detail.entries[0].envelope)).toMatchObject({
      summary: 'second',
    });
    expect(detail.entries[0].version).toBe(2);

    const missing = await call(app, worker, routes.updateCaseEntry, {
      params: { code: c.code, entryId: randomUUID() },
      body: { expectedVersion: 1, envelope: body('x'), followUpOn: null },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses a follow-up for someone without access to the case', async () => {
    const c = await createCase();
    const id = randomUUID();
    const res = await call(app, worker, routes.createCaseEntry, {
      params: { code: c.code },
      body: {
        id,
        envelope: seal(c.key, entryRef('contact', id), {}),
        followUpOn: '2026-02-01',
        followUpUserId: outsider.id,
      },
    });
    expect(res.status).toBe(400);
    expect(await count('SELECT 1 FROM case_entry WHERE id = $1', [id])).toBe(0);
  });
});

/** What the remover's browser does after a revocation: every record under a fresh key. */
async function rotate(who: Person, code: string, key: CaseKey, granter: Person[]) {
  const detail = await read(who, code);
  const next = nextCaseKey(key);
  const body = {
    fromVersion: key.version,
    toVersion: next.version,
    profile: toBase64(reencryptRecord(key, next, profileRef, fromBase64(detail.profile))),
    summary: toBase64(reencryptRecord(key, next, summaryRef, fromBase64(detail.summary))),
    entries: detail.entries.map((e) => ({
      id: e.id,
      envelope: toBase64(
        reencryptRecord(key, next, entryRef(e.kind, e.id), fromBase64(e.envelope)),
      ),
    })),
    grants: granter.map((g) => grantTo(next, g, who)),
  };
  return { next, body, detail };
}

describe('sharing, assigning and removing access', () => {
  it('shares with a colleague (with a reason) who can then open the case', async () => {
    const c = await createCase();
    const noteId = randomUUID();
    const res = await call(app, worker, routes.shareCase, {
      params: { code: c.code },
      body: {
        ...grantTo(c.key, colleague, worker),
        note: {
          id: noteId,
          envelope: seal(c.key, entryRef('access_note', noteId), {
            action: 'share',
            userId: colleague.id,
            reason: 'covering the night shift',
          }),
        },
      },
    });
    expect(res.status).toBe(201);
    expect((res.body.grants as { userId: string }[]).map((g) => g.userId)).toContain(colleague.id);
    const theirs = await read(colleague, c.code);
    const key = openGrant(theirs.myGrant, colleague, worker, c.id, 1);
    expect(open(key, profileRef, theirs.profile)).toEqual(sampleProfile());
    const again = await call(app, worker, routes.shareCase, {
      params: { code: c.code },
      body: {
        ...grantTo(c.key, colleague, worker),
        note: { id: randomUUID(), envelope: theirs.profile },
      },
    });
    expect(again.status).toBe(409);
  });

  it('refuses to share with an auditor (they never receive keys)', async () => {
    const c = await createCase();
    const res = await call(app, worker, routes.shareCase, {
      params: { code: c.code },
      body: {
        userId: auditor.id,
        envelope: c.body.grants[0].envelope,
        note: { id: randomUUID(), envelope: c.body.summary },
      },
    });
    expect(res.status).toBe(400);
  });

  it('removes a grant at once, requires a complete rotation, and locks the removed person out of new data', async () => {
    const c = await createCase(worker, coordinator, { also: [colleague] });
    // The colleague keeps a copy of the v1 key, as a removed person might.
    const kept = openGrant((await read(colleague, c.code)).myGrant, colleague, worker, c.id, 1);
    const entryId = randomUUID();
    await call(app, worker, routes.createCaseEntry, {
      params: { code: c.code },
      body: { id: entryId, envelope: seal(c.key, entryRef('contact', entryId), { n: 1 }) },
    });

    // Only coordinators remove access.
    const byWorker = await call(app, worker, routes.revokeCaseGrant, {
      params: { code: c.code, userId: colleague.id },
    });
    expect(byWorker.status).toBe(403);
    const revoked = await call(app, coordinator, routes.revokeCaseGrant, {
      params: { code: c.code, userId: colleague.id },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.rotationDue).toBe(true);
    expect((await call(app, colleague, routes.getCase, { params: { code: c.code } })).status).toBe(
      404,
    );

    // Nothing new may be written under the old key until the rotation.
    const blocked = await call(app, worker, routes.createCaseEntry, {
      params: { code: c.code },
      body: { id: randomUUID(), envelope: seal(c.key, entryRef('contact', randomUUID()), {}) },
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('ROTATION_DUE');

    const { next, body } = await rotate(coordinator, c.code, c.key, [worker, coordinator]);
    // Incomplete rotations are refused and change nothing.
    const missingEntry = await call(app, coordinator, routes.rotateCase, {
      params: { code: c.code },
      body: { ...body, entries: [] },
    });
    expect(missingEntry.status).toBe(409);
    const missingGrantee = await call(app, coordinator, routes.rotateCase, {
      params: { code: c.code },
      body: { ...body, grants: [body.grants[0], grantTo(next, colleague, coordinator)] },
    });
    expect(missingGrantee.status).toBe(409);
    const untouched = await read(coordinator, c.code);
    expect(untouched).toMatchObject({ keyVersion: 1, rotationDue: true });
    expect(untouched.entries[0].keyVersion).toBe(1);

    const done = await call(app, coordinator, routes.rotateCase, {
      params: { code: c.code },
      body,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ keyVersion: 2, rotationDue: false });

    // Work goes on under v2; the worker's browser opens the new grant.
    const asWorker = await read(worker, c.code);
    const v2 = openGrant(asWorker.myGrant, worker, coordinator, c.id, 2);
    const laterId = randomUUID();
    const later = await call(app, worker, routes.createCaseEntry, {
      params: { code: c.code },
      body: { id: laterId, envelope: seal(v2, entryRef('contact', laterId), { secret: 'new' }) },
    });
    expect(later.status).toBe(201);

    // The removed colleague's old key opens nothing written or re-encrypted since.
    const after = await read(worker, c.code);
    for (const [ref, envelope] of [
      [profileRef, after.profile],
      [entryRef('contact', laterId), after.entries[1].envelope],
      [entryRef('contact', entryId), after.entries[0].envelope],
    ] as const) {
      let failure: unknown;
      try {
        open(kept, ref, envelope);
      } catch (error) {
        failure = error;
      }
      expect(isCryptoError(failure) && failure.code).toBe('AUTH_FAILED');
    }
    const actions = (await auditEvents(c.code)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.revoke', 'case.rotate']));
  });

  it('keeps the supervisor and at least two grantees', async () => {
    const c = await createCase();
    const supervisor = await call(app, coordinator, routes.revokeCaseGrant, {
      params: { code: c.code, userId: coordinator.id },
    });
    expect(supervisor.status).toBe(409);
    const lastTwo = await call(app, coordinator, routes.revokeCaseGrant, {
      params: { code: c.code, userId: worker.id },
    });
    expect(lastTwo.status).toBe(409);
    expect(await count('SELECT 1 FROM case_grant WHERE case_id = $1', [c.id])).toBe(2);
  });

  it('reassigns: grant to the new assignee, then remove the previous one with a rotation', async () => {
    const c = await createCase();
    const key = openGrant((await read(coordinator, c.code)).myGrant, coordinator, worker, c.id, 1);
    const withoutGrant = await call(app, coordinator, routes.assignCase, {
      params: { code: c.code },
      body: { assigneeId: colleague.id },
    });
    expect(withoutGrant.status).toBe(400);
    const assigned = await call(app, coordinator, routes.assignCase, {
      params: { code: c.code },
      body: { assigneeId: colleague.id, grant: grantTo(key, colleague, coordinator).envelope },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigneeId).toBe(colleague.id);

    const removed = await call(app, coordinator, routes.revokeCaseGrant, {
      params: { code: c.code, userId: worker.id },
    });
    expect(removed.status).toBe(200);
    const { body } = await rotate(coordinator, c.code, key, [coordinator, colleague]);
    expect(
      (await call(app, coordinator, routes.rotateCase, { params: { code: c.code }, body })).status,
    ).toBe(200);
    const now = await read(colleague, c.code);
    expect(now).toMatchObject({ assigneeId: colleague.id, keyVersion: 2, rotationDue: false });
    expect(now.grants.map((g) => g.userId).sort()).toEqual([coordinator.id, colleague.id].sort());
    expect((await call(app, worker, routes.getCase, { params: { code: c.code } })).status).toBe(
      404,
    );
    const actions = (await auditEvents(c.code)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['case.share', 'case.assign', 'case.revoke', 'case.rotate']),
    );
  });

  it('only lets coordinators assign and remove access', async () => {
    const c = await createCase();
    const res = await call(app, worker, routes.assignCase, {
      params: { code: c.code },
      body: { assigneeId: null },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Only coordinators assign cases');
    expect((await read(worker, c.code)).assigneeId).toBe(worker.id);
  });
});

describe('duplicate warning', () => {
  it('tells the caller of a possible match, with codes only of cases they may open', async () => {
    const indexKey = generateIndexKey();
    const digest = blindIndex(indexKey, 'phone', '8 (926) 555-12-34', { defaultCountryCode: '7' });
    const c = await createCase(worker, coordinator, {
      blindIndexes: [{ kind: 'phone', digest }],
    });
    const mine = await call(app, worker, routes.checkDuplicates, {
      body: { kind: 'phone', digest },
    });
    expect(mine.body.possibleMatch).toBe(true);
    expect(mine.body.codes).toContain(c.code);
    const theirs = await call(app, outsider, routes.checkDuplicates, {
      body: { kind: 'phone', digest },
    });
    expect(theirs.body.possibleMatch).toBe(true);
    expect(theirs.body.codes).not.toContain(c.code);
    const handle = await call(app, worker, routes.checkDuplicates, {
      body: { kind: 'handle', digest },
    });
    expect((handle.body.codes as string[]).includes(c.code)).toBe(false);
  });
});
