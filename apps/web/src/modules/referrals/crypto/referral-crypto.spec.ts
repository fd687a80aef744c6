/**
 * The page's referral crypto against the real worker implementation (createCryptoWorkerApi, the
 * code the worker runs), in Node: a packet is sealed only to verified partner keys, holds only
 * the chosen fields, opens for each member and for case grantees, and a packet or note moved
 * to another referral, or a grant from a non-coordinator, is shown as unreadable.
 */
import { randomUUID } from 'node:crypto';
import type {
  AssignedReferral,
  CaseProfile,
  CaseReferral,
  PartnerMember,
  ReferralTransition,
} from '@haven/contracts';
import { CaseProfile as CaseProfileSchema } from '@haven/contracts';
import { initCrypto, issueCertificate, KDF_FLOOR } from '@haven/crypto';
import { createTestOrg, type TestOrg } from '@haven/crypto/testing';
import { toBase64Url } from '../../auth/utils/base64url';
import type { Worker } from '../../cases/crypto/case-crypto';
import type { CaseKeyHandle, UserHandle } from '../../crypto';
import { createCryptoWorkerApi } from '../../crypto/crypto-worker-api';
import type { PacketLabels } from '../utils/packet-fields';
import {
  buildPacketInput,
  encryptReason,
  NoRecipientError,
  openAssignment,
  openCaseReferrals,
  packetNote,
  partnerRecipients,
  staffNote,
  UncertifiedMemberError,
} from './referral-crypto';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const salt = new Uint8Array(16).fill(9);
const labels: PacketLabels = {
  safeTimes: 'Safe times',
  risks: 'Risks',
  channel: (type) => type,
  need: (need) => need,
};

let org: TestOrg;
let worker: Worker;
const people = new Map<string, { user: UserHandle; chain: string[] }>();

type Role = 'caseworker' | 'coordinator' | 'partner';

async function enrol(role: Role, certifiedBy: TestOrg = org): Promise<string> {
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
    certifiedBy.admin.keys.sign,
  );
  people.set(id, {
    user: created.user,
    chain: [...certifiedBy.admin.chain, cert].map(toBase64Url),
  });
  return id;
}

const person = (id: string) => {
  const found = people.get(id);
  if (!found) throw new Error('no such test person');
  return found;
};

const member = (id: string, status: PartnerMember['status'] = 'certified'): PartnerMember => ({
  id,
  username: `user-${id.slice(0, 4)}`,
  status,
  certificateChain: status === 'certified' ? person(id).chain : null,
});

const profile: CaseProfile = CaseProfileSchema.parse({
  alias: 'Timur',
  channels: [{ type: 'phone', value: '+7 928 444 10 20' }],
  location: 'Grozny',
  situation: 'Threatened by relatives.',
  needs: { evacuation: true },
  consent: { contact: true, shareWithPartners: true, keepData: true },
});

function transition(
  partial: Partial<ReferralTransition> & Pick<ReferralTransition, 'to'>,
): ReferralTransition {
  return {
    id: randomUUID(),
    from: null,
    actorId: randomUUID(),
    day: '2026-11-22',
    note: null,
    noteKey: null,
    packetKeyVersion: null,
    ...partial,
  };
}

let cora: string;
let pia: string;
let pavel: string;
let anna: string;
let caseKey: CaseKeyHandle;
const caseId = randomUUID();

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  worker = createCryptoWorkerApi();
  await worker.init();
  await worker.pinOrgRoot(org.root.publicKey);
  cora = await enrol('coordinator');
  pia = await enrol('partner');
  pavel = await enrol('partner');
  anna = await enrol('caseworker');
  caseKey = (await worker.createCaseKey(caseId)).caseKey;
});

describe('partnerRecipients', () => {
  it('seals to every certified member, skipping those not certified yet', async () => {
    const pending = await enrol('partner');
    const recipients = await partnerRecipients(worker, [
      member(pia),
      member(pending, 'pending_certification'),
      member(pavel),
      member(pending, 'disabled'),
    ]);
    expect(recipients.map((r) => r.id)).toEqual([pia, pavel]);
  });

  it('refuses a member whose keys do not verify as a partner’s, and an empty organisation', async () => {
    const rogue = await enrol('partner', createTestOrg());
    await expect(partnerRecipients(worker, [member(pia), member(rogue)])).rejects.toBeInstanceOf(
      UncertifiedMemberError,
    );
    // A caseworker's certificate presented as a partner member's is refused too.
    await expect(partnerRecipients(worker, [member(anna)])).rejects.toBeInstanceOf(
      UncertifiedMemberError,
    );
    await expect(partnerRecipients(worker, [])).rejects.toBeInstanceOf(NoRecipientError);
  });
});

describe('a packet from assignment to the case page', () => {
  const referralId = randomUUID();
  let packet: Awaited<ReturnType<typeof buildPacketInput>>;

  beforeAll(async () => {
    const recipients = await partnerRecipients(worker, [member(pia), member(pavel)]);
    packet = await buildPacketInput(worker, person(cora).user, {
      caseKey,
      referralId,
      version: 1,
      profile,
      fields: ['contact', 'needs'],
      service: 'evacuation',
      urgency: 'urgent',
      notes: '',
      labels,
      recipients,
    });
  });

  function assigned(overrides: Partial<AssignedReferral> = {}, grantee = pia): AssignedReferral {
    return {
      id: referralId,
      service: 'evacuation',
      urgency: 'urgent',
      status: 'assigned',
      version: 2,
      partnerOrgId: randomUUID(),
      dueOn: null,
      overdue: false,
      assignedOn: '2026-11-22',
      updatedOn: '2026-11-22',
      fields: ['contact', 'needs'],
      packetKeyVersion: 1,
      expiresOn: '2026-12-22',
      grant: packet.grants.find((g) => g.userId === grantee)?.envelope ?? '',
      grantedBy: cora,
      granterCertificateChain: person(cora).chain,
      packet: packet.envelope,
      transitions: [],
      ...overrides,
    };
  }

  it('is sealed to each member and holds only the chosen fields', async () => {
    expect(packet.keyVersion).toBe(1);
    expect(packet.grants.map((g) => g.userId)).toEqual([pia, pavel]);
    for (const who of [pia, pavel]) {
      const opened = await openAssignment(worker, person(who).user, assigned({}, who));
      expect(opened.packetKey).not.toBeNull();
      expect(opened.packet).toEqual({
        ok: true,
        value: {
          format: 1,
          service: 'evacuation',
          urgency: 'urgent',
          fields: { contact: 'Timur\nphone: +7 928 444 10 20', needs: 'evacuation' },
        },
      });
    }
  });

  it('shows nothing when the grant is someone else’s, moved, or not from a coordinator', async () => {
    // Pavel's grant presented to Pia.
    const swapped = await openAssignment(worker, person(pia).user, assigned({}, pavel));
    expect(swapped).toMatchObject({ packetKey: null, packet: { ok: false } });
    // The same packet presented as another referral.
    const moved = await openAssignment(worker, person(pia).user, assigned({ id: randomUUID() }));
    expect(moved.packet).toEqual({ ok: false });
    // A granter whose certificate is a caseworker's is not trusted to grant packets.
    const wrongGranter = await openAssignment(
      worker,
      person(pia).user,
      assigned({ grantedBy: anna, granterCertificateChain: person(anna).chain }),
    );
    expect(wrongGranter.packet).toEqual({ ok: false });
  });

  it('lets case grantees read the reason, the packet, staff notes and the assignee’s notes', async () => {
    const opened = await openAssignment(worker, person(pia).user, assigned());
    if (!opened.packetKey) throw new Error('grant did not open');
    const outcome = await packetNote(worker, opened.packetKey, 'Reached safety');
    const rejectNote = await staffNote(worker, caseKey, 'Assigned to Safe Route');
    const referral: CaseReferral = {
      id: referralId,
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
      reason: await encryptReason(worker, caseKey, referralId, { reason: 'Must leave', notes: '' }),
      nextPacketKeyVersion: 2,
      packets: [
        {
          keyVersion: 1,
          envelope: packet.envelope,
          caseKeyWrap: packet.caseKeyWrap,
          consentBasis: 'consent',
          overrideReason: null,
          expiresOn: '2026-12-22',
          createdOn: '2026-11-21',
          live: false,
          grantees: [],
        },
      ],
      transitions: [
        transition({ to: 'proposed' }),
        transition({
          id: rejectNote.id,
          from: 'proposed',
          to: 'assigned',
          note: rejectNote.envelope,
          noteKey: 'case',
        }),
        transition({
          id: outcome.id,
          from: 'in_progress',
          to: 'completed',
          note: outcome.envelope,
          noteKey: 'packet',
          packetKeyVersion: 1,
        }),
        // A packet note moved onto another transition does not open.
        transition({
          from: 'in_progress',
          to: 'failed',
          note: outcome.envelope,
          noteKey: 'packet',
          packetKeyVersion: 1,
        }),
      ],
    };
    const [read] = await openCaseReferrals(worker, caseKey, [referral]);
    expect(read?.reason).toEqual({ ok: true, value: { reason: 'Must leave', notes: '' } });
    expect(read?.packet).toMatchObject({ ok: true, value: { fields: { needs: 'evacuation' } } });
    expect(read?.transitions.map((t) => t.note)).toEqual([
      null,
      { ok: true, value: { text: 'Assigned to Safe Route' } },
      { ok: true, value: { text: 'Reached safety' } },
      { ok: false },
    ]);
    // Without the case key nothing opens, and nothing throws.
    const [blind] = await openCaseReferrals(worker, null, [referral]);
    expect(blind?.reason).toEqual({ ok: false });
    expect(blind?.packet).toEqual({ ok: false });
  });
});
