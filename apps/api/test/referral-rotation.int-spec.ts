/**
 * Case key rotation with referrals present (docs/referrals.md, "Case key rotation"), against
 * PostgreSQL through the real app: the rotation must re-encrypt every referral item under the
 * case key at the old version (reasons, staff notes, packet key wraps, override reasons), all
 * in the same transaction; a rotation leaving one out is refused with 409 and writes nothing;
 * afterwards everything is at the new version, opens with the new key and not with the old one
 * a removed person may have kept.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  routes,
  type AssignedReferral,
  type CaseDetail,
  type CaseReferral,
  type CaseReferralsResponse,
  type RotateCaseRequest,
} from '@haven/contracts';
import {
  decryptPacketNote,
  fromBase64,
  initCrypto,
  isCryptoError,
  nextCaseKey,
  PACKET_KEY_WRAP_KIND,
  recordKeyVersion,
  reencryptRecord,
  toBase64,
  unwrapPacketKey,
  utf8Decode,
  type CaseKey,
} from '@haven/crypto';
import pg from 'pg';
import {
  call,
  entryRef,
  grantTo,
  insertPartnerOrg,
  open,
  openGrant,
  person,
  profileRef,
  seedStaff,
  summaryRef,
  type Person,
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
import type { TestStaff } from './cases-fixtures';

let db: ScratchDatabase;
let app: NestFastifyApplication;
let client: pg.Client;
let staff: TestStaff;
let orgA: string;
let owner: Person;
let colleague: Person;
let coord: Person;
let internal: Person;
let pa1: Person;

beforeAll(async () => {
  await initCrypto();
  db = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: db.url } });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  orgA = await insertPartnerOrg(client, { name: 'Org A' });
  staff = await seedStaff(
    client,
    {
      owner: 'caseworker',
      colleague: 'caseworker',
      coord: 'coordinator',
      internal: 'caseworker',
      pa1: 'partner',
    },
    { pa1: orgA },
  );
  owner = person(staff, 'owner');
  colleague = person(staff, 'colleague');
  coord = person(staff, 'coord');
  internal = person(staff, 'internal');
  pa1 = person(staff, 'pa1');
});

afterAll(async () => {
  await client.end();
  await app.close();
  await db.drop();
});

const reasonRef = (id: string) => ({ kind: 'referral', recordId: id });
const noteRef = (id: string) => ({ kind: 'referral-note', recordId: id });
const overrideRef = (id: string) => ({ kind: 'referral-override', recordId: id });
const wrapRef = (id: string) => ({ kind: PACKET_KEY_WRAP_KIND, recordId: id });

async function ok(promise: Promise<{ status: number; body: unknown }>, status = 200) {
  const res = await promise;
  if (res.status !== status) throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function version(referralId: string): Promise<number> {
  const { rows } = await client.query<{ version: number }>(
    'SELECT version FROM referral WHERE id = $1',
    [referralId],
  );
  return rows[0].version;
}

interface Scene {
  c: OpenCase;
  /** Overridden consent, assigned to org A, completed by the partner with an outcome. */
  completed: string;
  /** Rejected by the coordinator with a staff note. */
  rejected: string;
  /** Assigned to the internal caseworker on recorded consent (a packet without override). */
  internalRef: string;
  outcome: string;
  /** The colleague's copy of the v1 key, as a removed person might keep it. */
  kept: CaseKey;
}

/**
 * A case with referrals in every shape (reason, staff note, packet wrap with and without an
 * override reason, an assignee note under the packet key); then the colleague is removed, so a
 * rotation is due.
 */
async function scene(): Promise<Scene> {
  const c = await openCase(app, owner, coord, [colleague]);
  await ok(
    call(app, owner, routes.recordShareConsent, {
      params: { code: c.code },
      body: { consentOn: new Date().toISOString().slice(0, 10) },
    }),
  );
  const completed = await propose(app, owner, c, { service: 'shelter' });
  const rejected = await propose(app, owner, c, { service: 'legal' });
  const internalRef = await propose(app, owner, c, { service: 'shelter' });

  const toPartner = assignment(
    coord,
    c,
    completed,
    { partnerOrgId: orgA, members: [pa1] },
    {
      basis: 'override',
    },
  );
  await ok(
    call(app, coord, routes.assignReferral, {
      params: { referralId: completed },
      body: toPartner.body,
    }),
  );
  const view = (await ok(
    call(app, pa1, routes.getAssignedReferral, { params: { referralId: completed } }),
  )) as AssignedReferral;
  const { packetKey } = readPacket(staff, pa1, view);
  for (const to of ['accepted', 'in_progress'] as const) {
    await ok(
      call(app, pa1, routes.transitionAssignedReferral, {
        params: { referralId: completed },
        body: { expectedVersion: await version(completed), to },
      }),
    );
  }
  const outcome = 'reached the shelter on Friday';
  await ok(
    call(app, pa1, routes.transitionAssignedReferral, {
      params: { referralId: completed },
      body: {
        expectedVersion: await version(completed),
        to: 'completed',
        note: packetNote(packetKey, outcome),
      },
    }),
  );

  await ok(
    call(app, coord, routes.rejectReferral, {
      params: { referralId: rejected },
      body: { expectedVersion: 1, note: staffNote(c, 'a legal partner already helps') },
    }),
  );
  await ok(
    call(app, coord, routes.assignReferral, {
      params: { referralId: internalRef },
      body: assignment(coord, c, internalRef, { caseworker: internal }).body,
    }),
  );

  const theirs = (await ok(
    call(app, colleague, routes.getCase, { params: { code: c.code } }),
  )) as CaseDetail;
  const kept = openGrant(theirs.myGrant, colleague, owner, c.id, 1);
  await ok(
    call(app, coord, routes.revokeCaseGrant, { params: { code: c.code, userId: colleague.id } }),
  );
  return { c, completed, rejected, internalRef, outcome, kept };
}

async function referralsOf(who: Person, code: string): Promise<CaseReferral[]> {
  const body = (await ok(
    call(app, who, routes.listCaseReferrals, { params: { code } }),
  )) as CaseReferralsResponse;
  return body.referrals;
}

/**
 * What the rotating browser sends: every record of the case and every referral item under the
 * case key at the old version, re-encrypted under the next key with the same reference.
 */
async function rotation(who: Person, s: Scene) {
  const { c } = s;
  const detail = (await ok(
    call(app, who, routes.getCase, { params: { code: c.code } }),
  )) as CaseDetail;
  const referrals = await referralsOf(who, c.code);
  const next = nextCaseKey(c.key);
  const again = (ref: { kind: string; recordId: string }, envelope: string) =>
    toBase64(reencryptRecord(c.key, next, ref, fromBase64(envelope)));
  const body: RotateCaseRequest & { referrals: NonNullable<RotateCaseRequest['referrals']> } = {
    fromVersion: c.key.version,
    toVersion: next.version,
    profile: again(profileRef, detail.profile),
    summary: again(summaryRef, detail.summary),
    entries: detail.entries.map((e) => ({
      id: e.id,
      envelope: again(entryRef(e.kind, e.id), e.envelope),
    })),
    grants: [grantTo(next, owner, who), grantTo(next, coord, who)],
    referrals: {
      reasons: referrals.map((r) => ({ id: r.id, envelope: again(reasonRef(r.id), r.reason) })),
      notes: referrals.flatMap((r) =>
        r.transitions
          .filter((t) => t.note !== null && t.noteKey === 'case')
          .map((t) => ({ id: t.id, envelope: again(noteRef(t.id), t.note ?? '') })),
      ),
      packets: referrals.flatMap((r) =>
        r.packets
          .filter((p) => p.caseKeyWrap !== null)
          .map((p) => ({
            referralId: r.id,
            keyVersion: p.keyVersion,
            caseKeyWrap: again(wrapRef(r.id), p.caseKeyWrap ?? ''),
            overrideReason:
              p.overrideReason === null ? null : again(overrideRef(r.id), p.overrideReason),
          })),
      ),
    },
  };
  return { next, body };
}

/** Everything a rotation could write, as text. */
async function snapshot(caseId: string): Promise<string> {
  const queries = [
    'SELECT key_version, rotation_due, profile_envelope FROM case_file WHERE id = $1',
    'SELECT user_id, key_version, envelope FROM case_grant WHERE case_id = $1 ORDER BY user_id',
    `SELECT id, version, reason_envelope, reason_key_version FROM referral
      WHERE case_id = $1 ORDER BY id`,
    `SELECT t.id, t.note_envelope, t.note_key, t.note_key_version FROM referral_transition t
       JOIN referral r ON r.id = t.referral_id WHERE r.case_id = $1 ORDER BY t.id`,
    `SELECT p.referral_id, p.key_version, p.case_key_wrap, p.override_reason
       FROM referral_packet p JOIN referral r ON r.id = p.referral_id
      WHERE r.case_id = $1 ORDER BY p.referral_id, p.key_version`,
  ];
  const parts: unknown[] = [];
  for (const text of queries) parts.push((await client.query(text, [caseId])).rows);
  return JSON.stringify(parts);
}

function expectAuthFailed(fn: () => unknown): void {
  let failure: unknown;
  try {
    fn();
  } catch (error) {
    failure = error;
  }
  expect(isCryptoError(failure) && failure.code).toBe('AUTH_FAILED');
}

describe('case key rotation with referrals', () => {
  it('refuses a rotation that leaves out any referral item, and writes nothing', async () => {
    const s = await scene();
    const { body } = await rotation(coord, s);
    const before = await snapshot(s.c.id);
    const r = body.referrals;
    expect(r.reasons).toHaveLength(3);
    expect(r.notes).toHaveLength(1);
    expect(r.packets).toHaveLength(2);
    const withOverride = r.packets.findIndex((p) => p.overrideReason !== null);
    expect(withOverride).toBeGreaterThanOrEqual(0);

    const variants: [string, typeof r][] = [
      ['no referral items at all', { reasons: [], notes: [], packets: [] }],
      ['a reason left out', { ...r, reasons: r.reasons.slice(1) }],
      ['a reason twice', { ...r, reasons: [...r.reasons.slice(1), r.reasons[1]] }],
      ['the staff note left out', { ...r, notes: [] }],
      ['a packet wrap left out', { ...r, packets: r.packets.slice(1) }],
      [
        'the override reason left out',
        {
          ...r,
          packets: r.packets.map((p, i) =>
            i === withOverride ? { ...p, overrideReason: null } : p,
          ),
        },
      ],
    ];
    for (const [what, referrals] of variants) {
      const res = await call(app, coord, routes.rotateCase, {
        params: { code: s.c.code },
        body: { ...body, referrals },
      });
      expect({ what, status: res.status }).toEqual({ what, status: 409 });
      expect(String(res.body.message)).toMatch(/every referral reason, staff note, packet key/);
    }
    // Omitting the field altogether is the same as sending none.
    const { referrals: _omitted, ...withoutField } = body;
    const omitted = await call(app, coord, routes.rotateCase, {
      params: { code: s.c.code },
      body: withoutField,
    });
    expect(omitted.status).toBe(409);

    // An item still under the old key is refused as a key-version conflict.
    const original = new Map((await referralsOf(coord, s.c.code)).map((x) => [x.id, x.reason]));
    const stale = await call(app, coord, routes.rotateCase, {
      params: { code: s.c.code },
      body: {
        ...body,
        referrals: {
          ...r,
          reasons: r.reasons.map((x, i) =>
            i === 0 ? { ...x, envelope: original.get(x.id) ?? '' } : x,
          ),
        },
      },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('KEY_VERSION_CHANGED');
    expect(await snapshot(s.c.id)).toBe(before);
  });

  it('re-encrypts reasons, staff notes, packet wraps and override reasons in the same commit', async () => {
    const s = await scene();
    const { next, body } = await rotation(coord, s);
    const done = await call(app, coord, routes.rotateCase, {
      params: { code: s.c.code },
      body,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ keyVersion: 2, rotationDue: false });

    // Every case-key item is recorded, and really encrypted, at version 2.
    const { rows: reasons } = await client.query<{ reason_key_version: number; env: Buffer }>(
      'SELECT reason_key_version, reason_envelope AS env FROM referral WHERE case_id = $1',
      [s.c.id],
    );
    expect(reasons).toHaveLength(3);
    for (const row of reasons) {
      expect(row.reason_key_version).toBe(2);
      expect(recordKeyVersion(row.env)).toBe(2);
    }
    const { rows: notes } = await client.query<{ note_key_version: number; env: Buffer }>(
      `SELECT t.note_key_version, t.note_envelope AS env FROM referral_transition t
         JOIN referral r ON r.id = t.referral_id
        WHERE r.case_id = $1 AND t.note_key = 'case'`,
      [s.c.id],
    );
    expect(notes).toHaveLength(1);
    expect(notes[0].note_key_version).toBe(2);
    expect(recordKeyVersion(notes[0].env)).toBe(2);
    const { rows: packets } = await client.query<{ wrap: Buffer; override: Buffer | null }>(
      `SELECT p.case_key_wrap AS wrap, p.override_reason AS override FROM referral_packet p
         JOIN referral r ON r.id = p.referral_id WHERE r.case_id = $1`,
      [s.c.id],
    );
    expect(packets).toHaveLength(2);
    for (const p of packets) {
      expect(recordKeyVersion(p.wrap)).toBe(2);
      if (p.override) expect(recordKeyVersion(p.override)).toBe(2);
    }
    expect(packets.filter((p) => p.override !== null)).toHaveLength(1);
    // Assignee notes stay under their packet key (its wrap moved, not the key).
    const { rows: packetNotes } = await client.query<{ note_key_version: number }>(
      `SELECT t.note_key_version FROM referral_transition t JOIN referral r ON r.id = t.referral_id
        WHERE r.case_id = $1 AND t.note_key = 'packet'`,
      [s.c.id],
    );
    expect(packetNotes.map((n) => n.note_key_version)).toEqual([1]);
    // The rotation does not count as a referral change (assignees' expected versions hold).
    expect(await version(s.completed)).toBe(5);

    // The owner's browser opens the new grant and reads everything on the Referrals tab.
    const asOwner = (await ok(
      call(app, owner, routes.getCase, { params: { code: s.c.code } }),
    )) as CaseDetail;
    const v2 = openGrant(asOwner.myGrant, owner, coord, s.c.id, 2);
    expect(v2.key).toEqual(next.key);
    const referrals = await referralsOf(owner, s.c.code);
    const completed = referrals.find((r) => r.id === s.completed);
    const rejected = referrals.find((r) => r.id === s.rejected);
    if (!completed || !rejected) throw new Error('referrals missing from the tab');
    expect(open(v2, reasonRef(completed.id), completed.reason)).toEqual({
      text: 'needs a safe place tonight',
    });
    const staffOnes = rejected.transitions.filter((t) => t.noteKey === 'case');
    expect(open(v2, noteRef(staffOnes[0].id), staffOnes[0].note ?? '')).toEqual({
      text: 'a legal partner already helps',
    });
    const packet = completed.packets[0];
    expect(open(v2, overrideRef(completed.id), packet.overrideReason ?? '')).toEqual({
      text: 'life-threatening; consent could not be asked',
    });
    const packetKey = unwrapPacketKey(
      v2,
      { referralId: completed.id, version: 1 },
      fromBase64(packet.caseKeyWrap ?? ''),
    );
    const last = completed.transitions[completed.transitions.length - 1];
    expect(utf8Decode(decryptPacketNote(packetKey, last.id, fromBase64(last.note ?? '')))).toBe(
      s.outcome,
    );

    // The removed colleague's v1 key opens none of it any more.
    expectAuthFailed(() => open(s.kept, reasonRef(completed.id), completed.reason));
    expectAuthFailed(() => open(s.kept, noteRef(staffOnes[0].id), staffOnes[0].note ?? ''));
    expectAuthFailed(() => open(s.kept, overrideRef(completed.id), packet.overrideReason ?? ''));
    expectAuthFailed(() =>
      unwrapPacketKey(
        s.kept,
        { referralId: completed.id, version: 1 },
        fromBase64(packet.caseKeyWrap ?? ''),
      ),
    );
    // A re-encrypted item is still bound to its own referral: a reason presented as another
    // referral's does not open.
    expectAuthFailed(() => open(v2, reasonRef(rejected.id), completed.reason));

    // Work on the referrals goes on under v2 (a note under v1 is refused).
    const internalNow = await version(s.internalRef);
    const underV1 = await call(app, coord, routes.revokeReferral, {
      params: { referralId: s.internalRef },
      body: { expectedVersion: internalNow, note: staffNote(s.c, 'old key') },
    });
    expect(underV1.status).toBe(409);
    const underV2 = await call(app, coord, routes.revokeReferral, {
      params: { referralId: s.internalRef },
      body: {
        expectedVersion: internalNow,
        note: staffNote({ ...s.c, key: v2 }, 'no longer needed'),
      },
    });
    expect(underV2.status).toBe(200);
  });
});

describe('the case status on assignment', () => {
  async function caseRow(id: string) {
    const { rows } = await client.query<{ status: string; version: number }>(
      'SELECT status, version FROM case_file WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  async function statusEvents(code: string): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_event WHERE action = 'case.status' AND target = $1`,
      [code],
    );
    return Number(rows[0].n);
  }

  it('moves an active case to referred (audited); a new case stays new', async () => {
    const active = await openCase(app, owner, coord);
    const detail = (await ok(
      call(app, owner, routes.getCase, { params: { code: active.code } }),
    )) as CaseDetail;
    await ok(
      call(app, owner, routes.changeCaseStatus, {
        params: { code: active.code },
        body: { expectedVersion: detail.version, status: 'active' },
      }),
    );
    const before = await caseRow(active.id);
    expect(before.status).toBe('active');
    const id = await propose(app, owner, active);
    await ok(
      call(app, coord, routes.assignReferral, {
        params: { referralId: id },
        body: assignment(coord, active, id, { caseworker: internal }, { basis: 'override' }).body,
      }),
    );
    const after = await caseRow(active.id);
    expect(after).toEqual({ status: 'referred', version: before.version + 1 });
    expect(await statusEvents(active.code)).toBe(2);

    const fresh = await openCase(app, owner, coord);
    const other = await propose(app, owner, fresh);
    await ok(
      call(app, coord, routes.assignReferral, {
        params: { referralId: other },
        body: assignment(coord, fresh, other, { caseworker: internal }, { basis: 'override' }).body,
      }),
    );
    expect((await caseRow(fresh.id)).status).toBe('new');
    expect(await statusEvents(fresh.code)).toBe(0);
  });
});
