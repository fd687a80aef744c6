/**
 * A browser's worth of referral crypto for the referrals integration tests: proposals with an
 * encrypted reason, packets made the way the coordinator's worker makes them (fresh packet key,
 * wrapped under the case key, sealed to every member), and the assignee's side (verify the
 * granter's chain, open the grant, read the packet, write packet notes).
 */
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes, type AssignedReferral, type ReferralPacketContent } from '@haven/contracts';
import {
  decryptPacket,
  encryptPacket,
  encryptPacketNote,
  fromBase64,
  generatePacketKey,
  openPacketKeyGrant,
  sealPacketKeyGrant,
  toBase64,
  utf8Decode,
  utf8Encode,
  verifyCertificateChain,
  wrapPacketKey,
  type CaseKey,
  type PacketKey,
} from '@haven/crypto';
import { call, newCase, seal, type Person, type TestStaff } from './cases-fixtures';

export interface OpenCase {
  id: string;
  code: string;
  key: CaseKey;
}

/** Opens a case through the API (creator + supervisor + `also` hold grants). */
export async function openCase(
  app: NestFastifyApplication,
  creator: Person,
  supervisor: Person,
  also: Person[] = [],
): Promise<OpenCase> {
  const made = newCase(creator, supervisor, { also });
  const res = await call(app, creator, routes.createCase, { body: made.body });
  if (res.status !== 201) throw new Error(`createCase answered ${res.status}`);
  return { id: made.id, code: String(res.body.code), key: made.key };
}

export const reasonRef = (referralId: string) => ({ kind: 'referral', recordId: referralId });
export const staffNoteRef = (transitionId: string) => ({
  kind: 'referral-note',
  recordId: transitionId,
});

export function proposalBody(c: OpenCase, overrides: Record<string, unknown> = {}) {
  const id = randomUUID();
  return {
    id,
    service: 'shelter',
    urgency: 'urgent',
    dueOn: null,
    fields: ['needs', 'language'],
    reason: seal(c.key, reasonRef(id), { text: 'needs a safe place tonight' }),
    ...overrides,
  };
}

export async function propose(
  app: NestFastifyApplication,
  who: Person,
  c: OpenCase,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const body = proposalBody(c, overrides);
  const res = await call(app, who, routes.proposeReferral, { params: { code: c.code }, body });
  if (res.status !== 201)
    throw new Error(`propose answered ${res.status}: ${JSON.stringify(res.body)}`);
  return body.id;
}

/** A staff note under the case key (kind `referral-note`, bound to the transition id). */
export function staffNote(c: OpenCase, text: string) {
  const id = randomUUID();
  return { id, envelope: seal(c.key, staffNoteRef(id), { text }) };
}

export const PACKET_CONTENT: ReferralPacketContent = {
  format: 1,
  service: 'shelter',
  urgency: 'urgent',
  fields: { needs: 'a safe place for two nights', language: 'ru' },
};

export interface Assignment {
  packetKey: PacketKey;
  body: {
    expectedVersion: number;
    assignee: { kind: 'partner'; partnerOrgId: string } | { kind: 'caseworker'; userId: string };
    consentBasis: 'consent' | 'override';
    overrideReason?: string;
    dueOn?: string | null;
    packet: {
      keyVersion: number;
      envelope: string;
      caseKeyWrap: string;
      grants: { userId: string; envelope: string }[];
      ttlDays?: number;
    };
  };
}

/** What the coordinator's browser sends to approve and assign. */
export function assignment(
  coordinator: Person,
  c: OpenCase,
  referralId: string,
  to: { partnerOrgId: string; members: Person[] } | { caseworker: Person },
  options: {
    expectedVersion?: number;
    keyVersion?: number;
    basis?: 'consent' | 'override';
    ttlDays?: number;
  } = {},
): Assignment {
  const keyVersion = options.keyVersion ?? 1;
  const packetKey = generatePacketKey(referralId, keyVersion);
  const members = 'members' in to ? to.members : [to.caseworker];
  const basis = options.basis ?? 'consent';
  return {
    packetKey,
    body: {
      expectedVersion: options.expectedVersion ?? 1,
      assignee:
        'members' in to
          ? { kind: 'partner', partnerOrgId: to.partnerOrgId }
          : { kind: 'caseworker', userId: to.caseworker.id },
      consentBasis: basis,
      ...(basis === 'override'
        ? {
            overrideReason: seal(
              c.key,
              { kind: 'referral-override', recordId: referralId },
              { text: 'life-threatening; consent could not be asked' },
            ),
          }
        : {}),
      packet: {
        keyVersion,
        envelope: toBase64(encryptPacket(packetKey, utf8Encode(JSON.stringify(PACKET_CONTENT)))),
        caseKeyWrap: toBase64(wrapPacketKey(c.key, packetKey)),
        grants: members.map((m) => ({
          userId: m.id,
          envelope: toBase64(
            sealPacketKeyGrant(packetKey, m.user.certified, coordinator.user.keys),
          ),
        })),
        ...(options.ttlDays ? { ttlDays: options.ttlDays } : {}),
      },
    },
  };
}

/** The assignee's browser: verify the granter's chain, open the grant, read the packet. */
export function readPacket(
  staff: TestStaff,
  who: Person,
  item: AssignedReferral,
): { packetKey: PacketKey; content: ReferralPacketContent } {
  const granter = verifyCertificateChain(
    item.granterCertificateChain.map((c) => fromBase64(c)),
    staff.org.root.publicKey,
  );
  const packetKey = openPacketKeyGrant(fromBase64(item.grant), {
    referralId: item.id,
    version: item.packetKeyVersion,
    grantee: who.user.keys,
    granter,
  });
  const content = JSON.parse(
    utf8Decode(decryptPacket(packetKey, fromBase64(item.packet))),
  ) as ReferralPacketContent;
  return { packetKey, content };
}

/** An assignee's note (packet key), bound to the transition id. */
export function packetNote(packetKey: PacketKey, text: string) {
  const id = randomUUID();
  return { id, envelope: toBase64(encryptPacketNote(packetKey, id, utf8Encode(text))) };
}
