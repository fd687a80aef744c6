/**
 * Referrals against PostgreSQL through the real app (docs/referrals.md): the state machine over
 * HTTP (every legal transition; illegal ones 409 with a message and nothing written), partner
 * organisation A against B (404 exactly like a nonexistent id on every partner route), partners
 * and case routes, share consent, packet grants deleted when access ends, packet expiry and its
 * purge, the internal caseworker assignee, and the coordinator board.
 */
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  REFERRAL_TRANSITIONS,
  routes,
  type AssignedReferral,
  type AssignedReferralListResponse,
  type CaseReferralsResponse,
  type ReferralBoardResponse,
  type ReferralStatus,
  type RouteDefinition,
} from '@haven/contracts';
import {
  decryptPacketNote,
  fromBase64,
  initCrypto,
  unwrapPacketKey,
  utf8Decode,
} from '@haven/crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { purgeExpiredPackets } from '../src/referrals/packet-expiry';
import {
  call,
  insertPartnerOrg,
  open,
  person,
  seedStaff,
  type Person,
  type TestStaff,
} from './cases-fixtures';
import {
  assignment,
  openCase,
  packetNote,
  propose,
  readPacket,
  staffNote,
  type OpenCase,
} from './referrals-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';

let db: ScratchDatabase;
let app: NestFastifyApplication;
let client: pg.Client;
let staff: TestStaff;
let orgA: string;
let orgB: string;
let owner: Person; // caseworker who opens cases and proposes
let colleague: Person; // caseworker holding a grant, not the proposer
let coord: Person; // supervising coordinator (holds case grants)
let coord2: Person; // coordinator without case grants
let stranger: Person; // caseworker without a grant
let internal: Person; // caseworker, internal assignee
let pa1: Person;
let pa2: Person;
let pb1: Person;
let auditor: Person;
/** A case with recorded consent, shared by most tests (each makes its own referrals). */
let shared: OpenCase;

beforeAll(async () => {
  await initCrypto();
  db = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: db.url } });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  orgA = await insertPartnerOrg(client, { name: 'Org A' });
  orgB = await insertPartnerOrg(client, { name: 'Org B' });
  staff = await seedStaff(
    client,
    {
      owner: 'caseworker',
      colleague: 'caseworker',
      coord: 'coordinator',
      coord2: 'coordinator',
      stranger: 'caseworker',
      internal: 'caseworker',
      pa1: 'partner',
      pa2: 'partner',
      pb1: 'partner',
      auditor: 'auditor',
    },
    { pa1: orgA, pa2: orgA, pb1: orgB },
  );
  owner = person(staff, 'owner');
  colleague = person(staff, 'colleague');
  coord = person(staff, 'coord');
  coord2 = person(staff, 'coord2');
  stranger = person(staff, 'stranger');
  internal = person(staff, 'internal');
  pa1 = person(staff, 'pa1');
  pa2 = person(staff, 'pa2');
  pb1 = person(staff, 'pb1');
  auditor = person(staff, 'auditor');
  shared = await openCase(app, owner, coord, [colleague]);
  await consent(shared);
});

afterAll(async () => {
  await client.end();
  await app.close();
  await db.drop();
});

async function consent(c: OpenCase): Promise<void> {
  const res = await call(app, owner, routes.recordShareConsent, {
    params: { code: c.code },
    body: { consentOn: new Date().toISOString().slice(0, 10) },
  });
  expect(res.status).toBe(200);
}

async function current(referralId: string): Promise<{ status: ReferralStatus; version: number }> {
  const { rows } = await client.query<{ status: ReferralStatus; version: number }>(
    'SELECT status, version FROM referral WHERE id = $1',
    [referralId],
  );
  return rows[0];
}

async function assignmentCount(referralId: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM referral_transition
      WHERE referral_id = $1 AND to_status = 'assigned'`,
    [referralId],
  );
  return Number(rows[0].n);
}

/** Everything a referral change could write (the audit log aside: refusals are logged). */
async function snapshot(referralId: string): Promise<string> {
  const { rows } = await client.query(
    `SELECT row_to_json(r)::text AS r,
            (SELECT json_agg(t ORDER BY seq)::text FROM referral_transition t
              WHERE t.referral_id = $1) AS t,
            (SELECT json_agg(p ORDER BY key_version)::text FROM referral_packet p
              WHERE p.referral_id = $1) AS p,
            (SELECT json_agg(g ORDER BY user_id)::text FROM referral_packet_grant g
              WHERE g.referral_id = $1) AS g,
            (SELECT share_consent_on::text FROM case_file c WHERE c.id = r.case_id) AS consent
       FROM referral r WHERE r.id = $1`,
    [referralId],
  );
  return JSON.stringify(rows[0]);
}

async function grantsOf(referralId: string): Promise<string[]> {
  const { rows } = await client.query<{ user_id: string }>(
    'SELECT user_id FROM referral_packet_grant WHERE referral_id = $1 ORDER BY user_id',
    [referralId],
  );
  return rows.map((r) => r.user_id);
}

async function assignedView(who: Person, referralId: string) {
  return call(app, who, routes.getAssignedReferral, { params: { referralId } });
}

/** Makes the legal change `to` of referral `referralId` (at `from`) as the right person. */
async function act(
  c: OpenCase,
  referralId: string,
  to: ReferralStatus,
  as?: Person,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { version, status: from } = await current(referralId);
  const params = { referralId };
  switch (to) {
    case 'assigned': {
      const a = assignment(
        coord,
        c,
        referralId,
        { partnerOrgId: orgA, members: [pa1, pa2] },
        { expectedVersion: version, keyVersion: (await assignmentCount(referralId)) + 1 },
      );
      return call(app, as ?? coord, routes.assignReferral, { params, body: a.body });
    }
    case 'rejected':
      return call(app, as ?? coord, routes.rejectReferral, {
        params,
        body: { expectedVersion: version, note: staffNote(c, 'not now') },
      });
    case 'revoked':
      return call(app, as ?? coord, routes.revokeReferral, {
        params,
        body: { expectedVersion: version },
      });
    case 'cancelled':
      return call(app, as ?? (from === 'proposed' ? owner : coord), routes.cancelReferral, {
        params,
        body: { expectedVersion: version },
      });
    default: {
      const who = as ?? pa1;
      const view = await assignedView(who, referralId);
      const needsNote = ['declined', 'completed', 'failed'].includes(to);
      let note: { id: string; envelope: string } | undefined;
      if (needsNote && view.status === 200) {
        const { packetKey } = readPacket(staff, who, view.body as unknown as AssignedReferral);
        note = packetNote(packetKey, `outcome: ${to}`);
      } else if (needsNote) {
        note = { id: randomUUID(), envelope: 'A'.repeat(80) };
      }
      return call(app, who, routes.transitionAssignedReferral, {
        params,
        body: { expectedVersion: version, to, ...(note ? { note } : {}) },
      });
    }
  }
}

/** The shortest way from a new proposal to `status`. */
const PATH: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  proposed: [],
  assigned: ['assigned'],
  accepted: ['assigned', 'accepted'],
  in_progress: ['assigned', 'accepted', 'in_progress'],
  declined: ['assigned', 'declined'],
  completed: ['assigned', 'accepted', 'in_progress', 'completed'],
  failed: ['assigned', 'accepted', 'in_progress', 'failed'],
  rejected: ['rejected'],
  cancelled: ['cancelled'],
  revoked: ['assigned', 'revoked'],
};

async function referralAt(status: ReferralStatus, c: OpenCase = shared): Promise<string> {
  const id = await propose(app, owner, c);
  for (const step of PATH[status]) {
    const res = await act(c, id, step);
    if (res.status !== 200) {
      throw new Error(`${step} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }
  expect((await current(id)).status).toBe(status);
  return id;
}

const LEGAL = (Object.keys(REFERRAL_TRANSITIONS) as ReferralStatus[]).flatMap((from) =>
  (Object.keys(REFERRAL_TRANSITIONS[from]) as ReferralStatus[]).map((to) => [from, to] as const),
);

describe('the state machine over HTTP', () => {
  it.each(LEGAL)('%s → %s succeeds, bumps the version and is audited', async (from, to) => {
    const id = await referralAt(from);
    const before = await current(id);
    const res = await act(shared, id, to);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: to, version: before.version + 1 });
    const { rows } = await client.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit_event WHERE target = $1 AND outcome = 'ok'
        ORDER BY seq DESC LIMIT 1`,
      [`${shared.code}/${id}`],
    );
    expect(rows[0].action).toMatch(/^referral\.[a-z_]+$/);
  });

  const ILLEGAL: ReadonlyArray<readonly [ReferralStatus, ReferralStatus]> = [
    ['proposed', 'revoked'],
    ['proposed', 'accepted'],
    ['assigned', 'rejected'],
    ['assigned', 'in_progress'],
    ['assigned', 'completed'],
    ['accepted', 'accepted'],
    ['accepted', 'declined'],
    ['accepted', 'completed'],
    ['accepted', 'assigned'],
    ['in_progress', 'cancelled'],
    ['in_progress', 'accepted'],
    ['in_progress', 'declined'],
    ['declined', 'revoked'],
    ['declined', 'rejected'],
    ['completed', 'cancelled'],
    ['completed', 'revoked'],
    ['failed', 'assigned'],
    ['rejected', 'assigned'],
    ['rejected', 'cancelled'],
    ['cancelled', 'rejected'],
    ['cancelled', 'assigned'],
    ['revoked', 'revoked'],
    ['revoked', 'assigned'],
  ];

  it.each(ILLEGAL)(
    '%s → %s is refused with 409 and its message, writing nothing',
    async (from, to) => {
      const id = await referralAt(from);
      const before = await snapshot(id);
      // Staff changes go to a coordinator; assignee changes to a member of org A, who still
      // sees the referral while it is assigned/accepted/in progress (else: 404, below).
      const res = await act(shared, id, to);
      const assigneeChange = [
        'accepted',
        'declined',
        'in_progress',
        'completed',
        'failed',
      ].includes(to);
      if (assigneeChange && !['assigned', 'accepted', 'in_progress'].includes(from)) {
        expect(res.status).toBe(404);
      } else {
        expect(res.status).toBe(409);
        expect(res.body.message).toBe(`A referral that is ${from} cannot become ${to}`);
      }
      expect(await snapshot(id)).toBe(before);
    },
  );

  it('refuses a stale version with 409 and writes nothing', async () => {
    const id = await referralAt('proposed');
    const before = await snapshot(id);
    const res = await call(app, coord, routes.revokeReferral, {
      params: { referralId: id },
      body: { expectedVersion: 1 },
    });
    expect(res.status).toBe(409); // proposed → revoked is illegal anyway
    const stale = await call(app, owner, routes.cancelReferral, {
      params: { referralId: id },
      body: { expectedVersion: 7 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    expect(await snapshot(id)).toBe(before);
  });

  it('answers 403 to a caller who sees the referral but whose change it is not', async () => {
    const id = await referralAt('proposed');
    const before = await snapshot(id);
    // A colleague on the case (not the proposer) may not cancel the proposal.
    const res = await call(app, colleague, routes.cancelReferral, {
      params: { referralId: id },
      body: { expectedVersion: 1 },
    });
    expect(res.status).toBe(403);
    expect(String(res.body.message)).toMatch(/coordinator|proposed/);
    // A caseworker without a grant on the case does not see it at all.
    const hidden = await call(app, stranger, routes.cancelReferral, {
      params: { referralId: id },
      body: { expectedVersion: 1 },
    });
    const absent = await call(app, stranger, routes.cancelReferral, {
      params: { referralId: randomUUID() },
      body: { expectedVersion: 1 },
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(absent.body);
    // A partner or caseworker may not approve (the route is coordinators').
    const a = assignment(coord, shared, id, { partnerOrgId: orgA, members: [pa1, pa2] });
    expect(
      (await call(app, owner, routes.assignReferral, { params: { referralId: id }, body: a.body }))
        .status,
    ).toBe(403);
    expect(
      (await call(app, pa1, routes.assignReferral, { params: { referralId: id }, body: a.body }))
        .status,
    ).toBe(403);
    expect(await snapshot(id)).toBe(before);
  });
});

describe('the whole way: propose → assign → accept → start → complete', () => {
  it('lets the partner read the packet and the caseworker read the outcome', async () => {
    const c = await openCase(app, owner, coord);
    await consent(c);
    const id = await propose(app, owner, c, { service: 'evacuation', fields: ['needs'] });
    const a = assignment(coord, c, id, { partnerOrgId: orgA, members: [pa1, pa2] });
    const assigned = await call(app, coord, routes.assignReferral, {
      params: { referralId: id },
      body: { ...a.body, dueOn: '2031-01-01' },
    });
    expect(assigned.status).toBe(200);
    expect(await grantsOf(id)).toEqual([pa1.id, pa2.id].sort());

    // Both members of org A see it, with nothing about the case itself.
    for (const member of [pa1, pa2]) {
      const list = await call(app, member, routes.listAssignedReferrals);
      const items = (list.body as unknown as AssignedReferralListResponse).referrals;
      expect(items.map((r) => r.id)).toContain(id);
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(c.code);
      expect(text).not.toContain(c.id);
    }
    const view = await assignedView(pa1, id);
    expect(view.status).toBe(200);
    const item = view.body as unknown as AssignedReferral;
    expect(item.dueOn).toBe('2031-01-01');
    const { packetKey, content } = readPacket(staff, pa1, item);
    expect(content.fields.needs).toBe('a safe place for two nights');

    for (const to of ['accepted', 'in_progress'] as const) {
      const { version } = await current(id);
      const res = await call(app, pa2, routes.transitionAssignedReferral, {
        params: { referralId: id },
        body: { expectedVersion: version, to },
      });
      expect(res.status).toBe(200);
    }
    const outcome = packetNote(packetKey, 'reached the shelter');
    const done = await call(app, pa1, routes.transitionAssignedReferral, {
      params: { referralId: id },
      body: { expectedVersion: (await current(id)).version, to: 'completed', note: outcome },
    });
    expect(done.status).toBe(200);
    expect(await grantsOf(id)).toEqual([]);
    expect((await assignedView(pa1, id)).status).toBe(404);

    // The caseworker sees the outcome on the case: the packet key from its wrap, then the note.
    const tab = await call(app, owner, routes.listCaseReferrals, { params: { code: c.code } });
    expect(tab.status).toBe(200);
    const r = (tab.body as unknown as CaseReferralsResponse).referrals.find((x) => x.id === id);
    if (!r) throw new Error('referral missing from the case tab');
    expect(r.status).toBe('completed');
    expect(r.partnerName).toBe('Org A');
    expect(r.transitions.map((t) => t.to)).toEqual([
      'proposed',
      'assigned',
      'accepted',
      'in_progress',
      'completed',
    ]);
    expect(open(c.key, { kind: 'referral', recordId: id }, r.reason)).toEqual({
      text: 'needs a safe place tonight',
    });
    const packet = r.packets[0];
    expect(packet.live).toBe(false);
    const key = unwrapPacketKey(
      c.key,
      { referralId: id, version: 1 },
      fromBase64(packet.caseKeyWrap ?? ''),
    );
    const last = r.transitions[r.transitions.length - 1];
    expect(last.noteKey).toBe('packet');
    expect(utf8Decode(decryptPacketNote(key, last.id, fromBase64(last.note ?? '')))).toBe(
      'reached the shelter',
    );
    const { rows } = await client.query<{ action: string }>(
      `SELECT action FROM audit_event WHERE target = $1 AND outcome = 'ok' ORDER BY seq`,
      [`${c.code}/${id}`],
    );
    expect(rows.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'referral.propose',
        'referral.assign',
        'referral.packet_read',
        'referral.accept',
        'referral.start',
        'referral.complete',
      ]),
    );
  });
});

describe('partner organisations are walled off from each other', () => {
  it('answers org B exactly as for a nonexistent id on every partner route', async () => {
    const id = await referralAt('assigned');
    const before = await snapshot(id);
    const ghost = randomUUID();
    for (const [route, body] of [
      [routes.getAssignedReferral, undefined],
      [routes.transitionAssignedReferral, { expectedVersion: 2, to: 'accepted' }],
    ] as const) {
      const theirs = await call(app, pb1, route as RouteDefinition, {
        params: { referralId: id },
        body,
      });
      const none = await call(app, pb1, route as RouteDefinition, {
        params: { referralId: ghost },
        body,
      });
      expect(theirs.status).toBe(404);
      expect(theirs.body).toEqual(none.body);
      // And for a caseworker who is not the internal assignee.
      expect(
        (await call(app, internal, route as RouteDefinition, { params: { referralId: id }, body }))
          .status,
      ).toBe(404);
    }
    const list = await call(app, pb1, routes.listAssignedReferrals);
    expect((list.body as unknown as AssignedReferralListResponse).referrals).toEqual([]);
    expect(await snapshot(id)).toBe(before);
  });

  it('refuses a packet not sealed to exactly the organisation’s certified members', async () => {
    const id = await referralAt('proposed');
    const before = await snapshot(id);
    for (const members of [[pa1], [pa1, pa2, pb1]]) {
      const a = assignment(coord, shared, id, { partnerOrgId: orgA, members });
      const res = await call(app, coord, routes.assignReferral, {
        params: { referralId: id },
        body: a.body,
      });
      expect(res.status).toBe(409);
    }
    expect(await snapshot(id)).toBe(before);
  });

  it('gives a partner 403 or 404 on every case, board, directory and audit route', async () => {
    const c = shared;
    const reached: string[] = [];
    let tried = 0;
    for (const [name, route] of Object.entries(routes as Record<string, RouteDefinition>)) {
      const staffOnly =
        route.path.includes(':code') ||
        [
          'cases',
          'referrals',
          'partners',
          'triage',
          'audit',
          'reports',
          'users',
          'invitations',
        ].includes(route.tag);
      if (!staffOnly || route.path.endsWith('/inspect') || route.path.endsWith('/accept')) continue;
      const res = await call(app, pa1, route, {
        params: {
          code: c.code,
          entryId: randomUUID(),
          userId: owner.id,
          referralId: randomUUID(),
          partnerId: orgA,
          submissionId: randomUUID(),
          messageId: randomUUID(),
          invitationId: randomUUID(),
        },
        body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      tried += 1;
      if (res.status !== 403 && res.status !== 404) reached.push(`${name}: ${res.status}`);
    }
    expect(reached).toEqual([]);
    expect(tried).toBeGreaterThan(40);
  });
});

describe('share consent', () => {
  it('is required for a consent-based packet; an override needs a coordinator and a reason', async () => {
    const c = await openCase(app, owner, coord);
    const id = await propose(app, owner, c);
    const before = await snapshot(id);
    const a = assignment(coord, c, id, { partnerOrgId: orgA, members: [pa1, pa2] });
    const refused = await call(app, coord, routes.assignReferral, {
      params: { referralId: id },
      body: a.body,
    });
    expect(refused.status).toBe(409);
    expect(String(refused.body.message)).toMatch(/consent/);
    expect(await snapshot(id)).toBe(before);

    // An override without a reason is refused by the contract.
    const bare = { ...a.body, consentBasis: 'override' };
    expect(
      (await call(app, coord, routes.assignReferral, { params: { referralId: id }, body: bare }))
        .status,
    ).toBe(400);

    // Consent recorded (audited, shown on the case), then withdrawn: refused again.
    await consent(c);
    const detail = await call(app, owner, routes.getCase, { params: { code: c.code } });
    expect(detail.body.shareConsentOn).toBe(new Date().toISOString().slice(0, 10));
    const withdrawn = await call(app, owner, routes.withdrawShareConsent, {
      params: { code: c.code },
    });
    expect(withdrawn.body).toEqual({ shareConsentOn: null });
    expect(
      (await call(app, coord, routes.assignReferral, { params: { referralId: id }, body: a.body }))
        .status,
    ).toBe(409);
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'case.consent' AND target = $1`,
      [c.code],
    );
    expect(Number(rows[0].n)).toBe(2);

    // A coordinator's override with a written reason goes through.
    const o = assignment(
      coord,
      c,
      id,
      { partnerOrgId: orgA, members: [pa1, pa2] },
      { basis: 'override' },
    );
    const ok = await call(app, coord, routes.assignReferral, {
      params: { referralId: id },
      body: o.body,
    });
    expect(ok.status).toBe(200);
    const tab = await call(app, coord, routes.listCaseReferrals, { params: { code: c.code } });
    const packet = (tab.body as unknown as CaseReferralsResponse).referrals[0].packets[0];
    expect(packet.consentBasis).toBe('override');
    expect(packet.overrideReason).not.toBeNull();
  });

  it('refuses a consent day in the future', async () => {
    const res = await call(app, owner, routes.recordShareConsent, {
      params: { code: shared.code },
      body: { consentOn: '2999-01-01' },
    });
    expect(res.status).toBe(400);
  });

  it('needs the coordinator to hold the case key to make a packet', async () => {
    const id = await referralAt('proposed');
    const before = await snapshot(id);
    const a = assignment(coord2, shared, id, { partnerOrgId: orgA, members: [pa1, pa2] });
    const res = await call(app, coord2, routes.assignReferral, {
      params: { referralId: id },
      body: a.body,
    });
    expect(res.status).toBe(403);
    expect(await snapshot(id)).toBe(before);
  });
});

describe('packet grants end with access', () => {
  it.each([['revoked'], ['cancelled'], ['declined'], ['failed'], ['completed']] as const)(
    'are deleted when the referral is %s',
    async (status) => {
      const id = await referralAt(status);
      expect(await grantsOf(id)).toEqual([]);
      expect((await assignedView(pa1, id)).status).toBe(404);
    },
  );

  it('a re-assignment after a decline makes a new packet key version', async () => {
    const id = await referralAt('declined');
    const res = await act(shared, id, 'assigned');
    expect(res.status).toBe(200);
    const view = await assignedView(pa2, id);
    expect(view.status).toBe(200);
    const item = view.body as unknown as AssignedReferral;
    expect(item.packetKeyVersion).toBe(2);
    expect(readPacket(staff, pa2, item).content.format).toBe(1);
    // The decline (under packet key 1) is not shown to the new assignment.
    expect(item.transitions.map((t) => t.to)).toEqual(['assigned']);
    const tab = await call(app, owner, routes.listCaseReferrals, { params: { code: shared.code } });
    const r = (tab.body as unknown as CaseReferralsResponse).referrals.find((x) => x.id === id);
    expect(r?.packets.map((p) => [p.keyVersion, p.live])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe('an internal caseworker assignee', () => {
  it('uses the assignee routes and still reaches no case route', async () => {
    const id = await propose(app, owner, shared);
    const a = assignment(coord, shared, id, { caseworker: internal });
    const res = await call(app, coord, routes.assignReferral, {
      params: { referralId: id },
      body: a.body,
    });
    expect(res.status).toBe(200);
    const list = await call(app, internal, routes.listAssignedReferrals);
    const item = (list.body as unknown as AssignedReferralListResponse).referrals.find(
      (r) => r.id === id,
    );
    if (!item) throw new Error('not listed for the internal assignee');
    expect(item.partnerOrgId).toBeNull();
    expect(readPacket(staff, internal, item).content.fields.language).toBe('ru');
    expect((await act(shared, id, 'accepted', internal)).status).toBe(200);
    expect(
      (await call(app, internal, routes.getCase, { params: { code: shared.code } })).status,
    ).toBe(404);
    // Org A's partners do not see a referral assigned to a caseworker.
    expect((await assignedView(pa1, id)).status).toBe(404);
  });
});

describe('packet expiry', () => {
  it('answers 404 after the last day, and the purge deletes grants, then the packet', async () => {
    const id = await referralAt('accepted');
    const { packetKey } = readPacket(
      staff,
      pa1,
      (await assignedView(pa1, id)).body as unknown as AssignedReferral,
    );
    const progress = await call(app, pa1, routes.transitionAssignedReferral, {
      params: { referralId: id },
      body: {
        expectedVersion: (await current(id)).version,
        to: 'in_progress',
        note: packetNote(packetKey, 'called'),
      },
    });
    expect(progress.status).toBe(200);
    await client.query(
      `UPDATE referral_packet SET expires_on = (now() AT TIME ZONE 'UTC')::date - 3
        WHERE referral_id = $1`,
      [id],
    );
    expect((await assignedView(pa1, id)).status).toBe(404);
    const list = await call(app, pa1, routes.listAssignedReferrals);
    expect(
      (list.body as unknown as AssignedReferralListResponse).referrals.map((r) => r.id),
    ).not.toContain(id);

    const ds = app.get(DataSource);
    const first = await ds.transaction((m) => purgeExpiredPackets(m, 7));
    expect(first.grantsDeleted).toBeGreaterThanOrEqual(2);
    expect(await grantsOf(id)).toEqual([]);
    const kept = await client.query('SELECT 1 FROM referral_packet WHERE referral_id = $1', [id]);
    expect(kept.rowCount).toBe(1);

    const second = await ds.transaction((m) => purgeExpiredPackets(m, 1));
    expect(second.packetsDeleted).toBeGreaterThanOrEqual(1);
    const gone = await client.query('SELECT 1 FROM referral_packet WHERE referral_id = $1', [id]);
    expect(gone.rowCount).toBe(0);
    const notes = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM referral_transition WHERE referral_id = $1 AND note_key = 'packet'`,
      [id],
    );
    expect(Number(notes.rows[0].n)).toBe(0);
    // The referral itself stays with the case.
    expect((await current(id)).status).toBe('in_progress');
  });
});

describe('the coordinator board', () => {
  it('filters by service, partner and overdue, and counts by status', async () => {
    const c = await openCase(app, owner, coord);
    await consent(c);
    const late = await propose(app, owner, c, { service: 'legal', dueOn: '2020-01-01' });
    const soon = await propose(app, owner, c, { service: 'medical', dueOn: '2999-01-01' });
    const res = await call(app, coord, routes.referralBoard, { query: { service: 'legal' } });
    expect(res.status).toBe(200);
    const board = res.body as unknown as ReferralBoardResponse;
    expect(board.referrals.every((r) => r.service === 'legal')).toBe(true);
    expect(board.referrals.map((r) => r.id)).toContain(late);
    expect(board.counts.find((x) => x.status === 'proposed')?.count).toBeGreaterThanOrEqual(1);
    const overdue = (await call(app, coord, routes.referralBoard, { query: { overdue: 'true' } }))
      .body as unknown as ReferralBoardResponse;
    expect(overdue.referrals.map((r) => r.id)).toContain(late);
    expect(overdue.referrals.map((r) => r.id)).not.toContain(soon);
    expect(overdue.referrals.every((r) => r.overdue)).toBe(true);
    expect(overdue.overdueCount).toBeGreaterThanOrEqual(1);
    const byPartner = (await call(app, coord, routes.referralBoard, { query: { partner: orgB } }))
      .body as unknown as ReferralBoardResponse;
    expect(byPartner.referrals).toEqual([]);
    const other = (await call(app, coord2, routes.referralBoard, {}))
      .body as unknown as ReferralBoardResponse;
    expect(other.referrals.find((r) => r.id === late)?.canReadCase).toBe(false);
    expect((await call(app, owner, routes.referralBoard, {})).status).toBe(403);
    expect((await call(app, auditor, routes.referralBoard, {})).status).toBe(403);
  });
});

describe('cases and referrals', () => {
  it('a case purge removes its referrals, transitions, packets and grants', async () => {
    const c = await openCase(app, owner, coord);
    await consent(c);
    const id = await propose(app, owner, c);
    expect((await act(c, id, 'assigned')).status).toBe(200);
    await client.query('DELETE FROM case_file WHERE id = $1', [c.id]);
    for (const table of [
      'referral',
      'referral_transition',
      'referral_packet',
      'referral_packet_grant',
    ]) {
      const column = table === 'referral' ? 'id' : 'referral_id';
      const left = await client.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [id]);
      expect(left.rowCount).toBe(0);
    }
  });

  it('a partner user is made only through a partner invitation naming an active organisation', async () => {
    const admin = staff.admin;
    const noOrg = await call(app, admin, routes.createInvitation, { body: { role: 'partner' } });
    expect(noOrg.status).toBe(400);
    const staffWithOrg = await call(app, admin, routes.createInvitation, {
      body: { role: 'caseworker', partnerOrgId: orgA },
    });
    expect(staffWithOrg.status).toBe(400);
    const inactive = await insertPartnerOrg(client, { active: false });
    const refused = await call(app, admin, routes.createInvitation, {
      body: { role: 'partner', partnerOrgId: inactive },
    });
    expect(refused.status).toBe(409);
    const ok = await call(app, admin, routes.createInvitation, {
      body: { role: 'partner', partnerOrgId: orgA },
    });
    expect(ok.status).toBe(201);
    const pending = await call(app, admin, routes.listInvitations);
    expect(JSON.stringify(pending.body)).toContain(orgA);
    const change = await call(app, admin, routes.changeRole, {
      params: { userId: pa2.id },
      body: { role: 'caseworker' },
    });
    expect(change.status).toBe(409);
    const me = await call(app, pa1, routes.me);
    expect(me.body).toMatchObject({ user: { partnerOrg: { id: orgA, name: 'Org A' } } });
  });
});
