/**
 * A case key rotation in the browser with referrals present (docs/referrals.md, "Case key
 * rotation"), against the real worker implementation in Node: the rotation body carries every
 * referral item under the case key at the old version (reason, staff notes, packet key wrap,
 * override reason), each re-encrypted for the same referral or note at the new version; a case
 * grantee reads everything on the Referrals tab with the new key, the old key opens none of it,
 * an item moved to another referral stops the whole rotation, and items already stranded at an
 * older version are left out.
 */
import { randomUUID } from 'node:crypto';
import type {
  CaseDetail,
  CaseProfile,
  CaseReferral,
  ReferralTransition,
  StaffDirectoryEntry,
} from '@haven/contracts';
import { CaseProfile as CaseProfileSchema } from '@haven/contracts';
import { initCrypto, issueCertificate, KDF_FLOOR } from '@haven/crypto';
import { createTestOrg, type TestOrg } from '@haven/crypto/testing';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import {
  encrypt,
  envelopeKeyVersion,
  openCase,
  openGrants,
  overrideRef,
  profileRef,
  rotationFor,
  summaryOf,
  summaryRef,
  verifyDirectory,
  type Directory,
  type Worker,
} from '../../cases/crypto/case-crypto';
import type { CaseKeyHandle, UserHandle } from '../../crypto';
import { createCryptoWorkerApi } from '../../crypto/crypto-worker-api';
import type { PacketLabels } from '../utils/packet-fields';
import {
  buildPacketInput,
  encryptReason,
  openCaseReferrals,
  packetNote,
  partnerRecipients,
  staffNote,
} from './referral-crypto';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const salt = new Uint8Array(16).fill(7);
const labels: PacketLabels = {
  safeTimes: 'Safe times',
  risks: 'Risks',
  channel: (type) => type,
  need: (need) => need,
};
const profile: CaseProfile = CaseProfileSchema.parse({
  alias: 'Timur',
  channels: [{ type: 'phone', value: '+7 928 444 10 20' }],
  location: 'Grozny',
  situation: 'Threatened by relatives.',
  needs: { evacuation: true },
  consent: { contact: true, shareWithPartners: true, keepData: true },
});

let org: TestOrg;
let worker: Worker;
let directory: Directory;
const users = new Map<string, { user: UserHandle; chain: string[] }>();
let cora: string;
let anna: string;
let pia: string;

async function enrol(role: 'caseworker' | 'coordinator' | 'partner'): Promise<string> {
  const id = randomUUID();
  const { kek } = await worker.deriveLoginKeysFromSalt({ password: `${id}!`, salt, params });
  const created = await worker.createUserKeys(kek, id);
  const cert = issueCertificate(
    {
      subjectId: id,
      role,
      boxPublicKey: created.boxPublicKey,
      signPublicKey: created.signPublicKey,
    },
    org.admin.keys.sign,
  );
  users.set(id, { user: created.user, chain: [...org.admin.chain, cert].map(toBase64Url) });
  return id;
}

const user = (id: string) => {
  const found = users.get(id);
  if (!found) throw new Error('no such test user');
  return found.user;
};

function entry(id: string, role: 'caseworker' | 'coordinator'): StaffDirectoryEntry {
  const found = users.get(id);
  if (!found) throw new Error('no such test user');
  return { id, username: id.slice(0, 8), role, active: true, certificateChain: found.chain };
}

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  worker = createCryptoWorkerApi();
  await worker.init();
  await worker.pinOrgRoot(org.root.publicKey);
  cora = await enrol('coordinator');
  anna = await enrol('caseworker');
  pia = await enrol('partner');
  directory = await verifyDirectory(worker, [
    entry(cora, 'coordinator'),
    entry(anna, 'caseworker'),
  ]);
});

function transition(
  partial: Partial<ReferralTransition> & Pick<ReferralTransition, 'to'>,
): ReferralTransition {
  return {
    id: randomUUID(),
    from: null,
    actorId: cora,
    day: '2026-11-22',
    note: null,
    noteKey: null,
    packetKeyVersion: null,
    ...partial,
  };
}

/** A case at key version 1 as Cora's browser reads it, with Anna and Cora holding grants. */
async function makeCase() {
  const caseId = randomUUID();
  const { caseKey } = await worker.createCaseKey(caseId);
  const detail: CaseDetail = {
    id: caseId,
    code: 'K7M3-QX9P',
    status: 'active',
    priority: 'urgent',
    assigneeId: anna,
    supervisorId: cora,
    keyVersion: 1,
    version: 1,
    createdOn: '2026-11-20',
    updatedOn: '2026-11-22',
    closedOn: null,
    rotationDue: true,
    myGrant: toBase64Url(
      await worker.sealCaseGrant(caseKey, directory.get(cora)!.cert, user(cora)),
    ),
    profile: await encrypt(worker, caseKey, profileRef, profile),
    summary: await encrypt(worker, caseKey, summaryRef, summaryOf(profile), 'summary'),
    grants: [anna, cora].map((id) => ({
      userId: id,
      keyVersion: 1,
      grantedBy: cora,
      createdOn: '2026-11-20',
    })),
    entries: [],
  };
  return { detail, caseKey };
}

/**
 * A completed referral as the case tab receives it: reason, an override-based packet (its key
 * wrapped under the case key), a staff note under the case key, the partner's outcome under
 * the packet key.
 */
async function makeReferral(caseId: string, caseKey: CaseKeyHandle): Promise<CaseReferral> {
  const id = randomUUID();
  const recipients = await partnerRecipients(worker, [
    { id: pia, username: 'pia', status: 'certified', certificateChain: users.get(pia)!.chain },
  ]);
  const packet = await buildPacketInput(worker, user(cora), {
    caseKey,
    referralId: id,
    version: 1,
    profile,
    fields: ['contact', 'needs'],
    service: 'evacuation',
    urgency: 'urgent',
    notes: '',
    labels,
    recipients,
  });
  const { packetKey } = await worker.unwrapPacketKey(
    caseKey,
    { referralId: id, version: 1 },
    fromBase64Url(packet.caseKeyWrap),
  );
  const outcome = await packetNote(worker, packetKey, 'Reached safety');
  const note = await staffNote(worker, caseKey, 'Approved: the evacuation partner');
  return {
    id,
    caseId,
    caseCode: 'K7M3-QX9P',
    service: 'evacuation',
    urgency: 'urgent',
    status: 'completed',
    version: 5,
    partnerOrgId: randomUUID(),
    partnerName: 'Safe Route',
    assigneeUserId: null,
    proposedBy: anna,
    decidedBy: cora,
    dueOn: null,
    overdue: false,
    createdOn: '2026-11-20',
    updatedOn: '2026-11-22',
    fields: ['contact', 'needs'],
    reason: await encryptReason(worker, caseKey, id, { reason: 'Must leave', notes: '' }),
    nextPacketKeyVersion: 2,
    packets: [
      {
        keyVersion: 1,
        envelope: packet.envelope,
        caseKeyWrap: packet.caseKeyWrap,
        consentBasis: 'override',
        overrideReason: await encrypt(worker, caseKey, overrideRef(id), {
          reason: 'No way to ask in time',
        }),
        expiresOn: '2026-12-22',
        createdOn: '2026-11-21',
        live: false,
        grantees: [],
      },
    ],
    transitions: [
      transition({ to: 'proposed', actorId: anna }),
      transition({
        id: note.id,
        from: 'proposed',
        to: 'assigned',
        note: note.envelope,
        noteKey: 'case',
      }),
      transition({
        id: outcome.id,
        from: 'in_progress',
        to: 'completed',
        actorId: pia,
        note: outcome.envelope,
        noteKey: 'packet',
        packetKeyVersion: 1,
      }),
    ],
  };
}

/** The referral as the API returns it after the rotation committed `body`. */
function rotatedReferral(
  referral: CaseReferral,
  body: Awaited<ReturnType<typeof rotationFor>>,
): CaseReferral {
  const reason = body.referrals.reasons.find((r) => r.id === referral.id);
  const packets = body.referrals.packets.filter((p) => p.referralId === referral.id);
  return {
    ...referral,
    reason: reason?.envelope ?? referral.reason,
    packets: referral.packets.map((p) => {
      const again = packets.find((x) => x.keyVersion === p.keyVersion);
      return again
        ? { ...p, caseKeyWrap: again.caseKeyWrap, overrideReason: again.overrideReason }
        : p;
    }),
    transitions: referral.transitions.map((t) => {
      const again = body.referrals.notes.find((n) => n.id === t.id);
      return again ? { ...t, note: again.envelope } : t;
    }),
  };
}

describe('rotating a case key with referrals', () => {
  it('re-encrypts every referral item under the case key, readable with the new key only', async () => {
    const { detail, caseKey } = await makeCase();
    const referral = await makeReferral(detail.id, caseKey);
    const body = await rotationFor(worker, user(cora), directory, detail, caseKey, [referral]);
    expect(body).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(body.referrals.reasons.map((r) => r.id)).toEqual([referral.id]);
    expect(body.referrals.notes.map((n) => n.id)).toEqual([referral.transitions[1]?.id]);
    expect(body.referrals.packets).toHaveLength(1);
    expect(body.referrals.packets[0]).toMatchObject({ referralId: referral.id, keyVersion: 1 });
    const all = [
      ...body.referrals.reasons.map((r) => r.envelope),
      ...body.referrals.notes.map((n) => n.envelope),
      ...body.referrals.packets.flatMap((p) => [p.caseKeyWrap, p.overrideReason ?? '']),
    ];
    expect(all.map(envelopeKeyVersion)).toEqual([2, 2, 2, 2]);

    // Anna opens her new grant and reads the whole referral on the Referrals tab.
    const rotated: CaseDetail = {
      ...detail,
      keyVersion: 2,
      rotationDue: false,
      myGrant: body.grants.find((g) => g.userId === anna)?.envelope ?? '',
      profile: body.profile,
      summary: body.summary,
    };
    const opened = await openCase(worker, user(anna), directory, rotated);
    expect(opened.key).not.toBeNull();
    const after = rotatedReferral(referral, body);
    const [read] = await openCaseReferrals(worker, opened.key, [after]);
    expect(read?.reason).toEqual({ ok: true, value: { reason: 'Must leave', notes: '' } });
    expect(read?.overrideReason).toEqual({ ok: true, value: { reason: 'No way to ask in time' } });
    expect(read?.packet).toMatchObject({ ok: true, value: { fields: { needs: 'evacuation' } } });
    expect(read?.transitions.map((t) => t.note)).toEqual([
      null,
      { ok: true, value: { text: 'Approved: the evacuation partner' } },
      { ok: true, value: { text: 'Reached safety' } },
    ]);

    // The old key (what a removed person may have kept) opens none of it.
    const [old] = await openCaseReferrals(worker, caseKey, [after]);
    expect(old?.reason).toEqual({ ok: false });
    expect(old?.overrideReason).toEqual({ ok: false });
    expect(old?.packet).toEqual({ ok: false });
    expect(old?.transitions.map((t) => t.note)).toEqual([null, { ok: false }, { ok: false }]);
  });

  it('keeps each item bound to its own referral: swapped reasons do not open', async () => {
    const { detail, caseKey } = await makeCase();
    const first = await makeReferral(detail.id, caseKey);
    const second = await makeReferral(detail.id, caseKey);
    const body = await rotationFor(worker, user(cora), directory, detail, caseKey, [first, second]);
    const rotated: CaseDetail = {
      ...detail,
      keyVersion: 2,
      myGrant: body.grants.find((g) => g.userId === anna)?.envelope ?? '',
      profile: body.profile,
      summary: body.summary,
    };
    const { key } = await openCase(worker, user(anna), directory, rotated);
    const a = rotatedReferral(first, body);
    const b = rotatedReferral(second, body);
    const [swapped] = await openCaseReferrals(worker, key, [{ ...a, reason: b.reason }]);
    expect(swapped?.reason).toEqual({ ok: false });
  });

  it('stops the whole rotation when an item was moved to another referral', async () => {
    const { detail, caseKey } = await makeCase();
    const first = await makeReferral(detail.id, caseKey);
    const second = await makeReferral(detail.id, caseKey);
    await expect(
      rotationFor(worker, user(cora), directory, detail, caseKey, [
        first,
        { ...second, reason: first.reason },
      ]),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('leaves out items already stranded at an older key version', async () => {
    const { detail, caseKey } = await makeCase();
    const referral = await makeReferral(detail.id, caseKey);
    // A first rotation that (as before this was built) left the referral at version 1.
    const first = await rotationFor(worker, user(cora), directory, detail, caseKey);
    expect(first.referrals).toEqual({ reasons: [], notes: [], packets: [] });
    const [v2] = await openGrants(worker, user(cora), directory, [
      {
        caseId: detail.id,
        version: 2,
        grant: first.grants.find((g) => g.userId === cora)?.envelope ?? '',
      },
    ]);
    if (!v2) throw new Error('the v2 grant did not open');
    const atV2: CaseDetail = {
      ...detail,
      keyVersion: 2,
      profile: first.profile,
      summary: first.summary,
    };
    const second = await rotationFor(worker, user(cora), directory, atV2, v2, [referral]);
    expect(second).toMatchObject({ fromVersion: 2, toVersion: 3 });
    expect(second.referrals).toEqual({ reasons: [], notes: [], packets: [] });
  });
});
