/**
 * The page's side of referral crypto (docs/referrals.md). Every key operation runs in the
 * crypto worker; this file decides which key opens which envelope and who a packet may be
 * sealed to, and checks decrypted content against its schema (content that decrypts but does
 * not match is shown as unreadable, never trusted).
 *
 * - The reason (kind `referral`, record id = referral id), staff transition notes
 *   (`referral-note`, record id = transition id) and the override reason (`referral-override`)
 *   are case records under the case key.
 * - The packet and assignee notes are under the packet key: assignees open it through their
 *   grant, case grantees through its wrap under the case key.
 */
import {
  ReferralPacketContent,
  type AssignedReferral,
  type CaseProfile,
  type CaseReferral,
  type PacketInput,
  type PartnerMember,
  type ReferralService,
  type ReferralTransition,
  type ReferralUrgency,
} from '@haven/contracts';
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import {
  decryptAll,
  encrypt,
  overrideRef,
  reasonRef,
  staffNoteRef,
  type Opened,
  type Worker,
} from '../../cases/crypto/case-crypto';
import type { CaseKeyHandle, CertHandle, PacketKeyHandle, UserHandle } from '../../crypto';
import { packetContent, type PacketLabels } from '../utils/packet-fields';

/** The reason a caseworker gives, and an optional note meant for the assignee (`notes`). */
export const ReferralReason = z.object({
  reason: z.string().trim().min(1).max(4_000),
  notes: z.string().trim().max(4_000).default(''),
});
export type ReferralReason = z.infer<typeof ReferralReason>;

/** Why a coordinator shared without the person's recorded consent. */
export const OverrideReason = z.object({ reason: z.string().trim().min(1).max(4_000) });
export type OverrideReason = z.infer<typeof OverrideReason>;

/** A note on a transition (reject/decline reason, outcome, progress). */
export const ReferralNote = z.object({ text: z.string().trim().min(1).max(4_000) });
export type ReferralNote = z.infer<typeof ReferralNote>;

export { overrideRef, reasonRef, staffNoteRef } from '../../cases/crypto/case-crypto';

export function encryptReason(
  worker: Worker,
  key: CaseKeyHandle,
  id: string,
  value: ReferralReason,
) {
  return encrypt(worker, key, reasonRef(id), value);
}

/** A staff note under the case key, with the transition id it is bound to. */
export async function staffNote(worker: Worker, key: CaseKeyHandle, text: string) {
  const id = crypto.randomUUID();
  return { id, envelope: await encrypt(worker, key, staffNoteRef(id), { text }) };
}

/** An assignee's note under the packet key, with the transition id it is bound to. */
export async function packetNote(worker: Worker, packetKey: PacketKeyHandle, text: string) {
  const id = crypto.randomUUID();
  return {
    id,
    envelope: toBase64Url(await worker.encryptPacketNoteJson(packetKey, id, { text })),
  };
}

// ---- who a packet is sealed to ----------------------------------------------------------------

/** A member or colleague whose chain the worker verified; only these are sealed to. */
export interface PacketRecipient {
  id: string;
  username: string;
  cert: CertHandle;
}

export class UncertifiedMemberError extends Error {
  constructor(readonly username: string) {
    super(`the keys of ${username} could not be verified`);
    this.name = 'UncertifiedMemberError';
  }
}

export class NoRecipientError extends Error {
  constructor() {
    super('nobody to seal the packet to');
    this.name = 'NoRecipientError';
  }
}

/**
 * The partner organisation's members a packet is sealed to: every certified, enabled member,
 * each chain verified in the worker against the pinned root as a `partner` key. A member the
 * server calls certified whose chain does not verify stops the assignment (refusing an
 * uncertified key, rather than quietly leaving someone out); members not certified yet and
 * disabled ones are not sealed to. No recipient at all: NoRecipientError.
 */
export async function partnerRecipients(
  worker: Worker,
  members: readonly PartnerMember[],
): Promise<PacketRecipient[]> {
  const out: PacketRecipient[] = [];
  for (const member of members) {
    if (member.status !== 'certified' || member.certificateChain === null) continue;
    try {
      const key = await worker.verifyCertificate(member.certificateChain.map(fromBase64Url), {
        subjectId: member.id,
        roles: ['partner'],
      });
      out.push({ id: member.id, username: member.username, cert: key.key });
    } catch {
      throw new UncertifiedMemberError(member.username);
    }
  }
  if (out.length === 0) throw new NoRecipientError();
  return out;
}

// ---- building a packet (coordinator, at assign time) ------------------------------------------

/**
 * The packet part of an assignment: the chosen fields of the decrypted profile under a fresh
 * packet key at `referral.nextPacketKeyVersion`, that key wrapped under the case key and sealed
 * to every recipient by the caller.
 */
export async function buildPacketInput(
  worker: Worker,
  me: UserHandle,
  input: {
    caseKey: CaseKeyHandle;
    referralId: string;
    version: number;
    profile: CaseProfile;
    fields: readonly string[];
    service: ReferralService;
    urgency: ReferralUrgency;
    notes: string;
    labels: PacketLabels;
    recipients: readonly PacketRecipient[];
    ttlDays?: number;
  },
): Promise<PacketInput> {
  if (input.recipients.length === 0) throw new NoRecipientError();
  const content = packetContent(input);
  const built = await worker.buildPacket(
    input.caseKey,
    { referralId: input.referralId, version: input.version, content },
    input.recipients.map((r) => r.cert),
    me,
  );
  try {
    return {
      keyVersion: built.version,
      envelope: toBase64Url(built.envelope),
      caseKeyWrap: toBase64Url(built.caseKeyWrap),
      grants: built.grants.map((g) => ({ userId: g.granteeId, envelope: toBase64Url(g.envelope) })),
      ...(input.ttlDays === undefined ? {} : { ttlDays: input.ttlDays }),
    };
  } finally {
    await worker.release(built.packetKey);
  }
}

// ---- reading referrals on the case page ---------------------------------------------------------

export interface OpenedTransition {
  transition: ReferralTransition;
  /** Null when the transition carries no note. */
  note: Opened<ReferralNote> | null;
}

export interface OpenedReferral {
  referral: CaseReferral;
  reason: Opened<ReferralReason>;
  overrideReason: Opened<OverrideReason> | null;
  /** The latest packet as its assignee reads it; null before the first assignment. */
  packet: Opened<ReferralPacketContent> | null;
  transitions: OpenedTransition[];
}

async function packetKeysOf(
  worker: Worker,
  caseKey: CaseKeyHandle,
  referral: CaseReferral,
): Promise<Map<number, PacketKeyHandle>> {
  const keys = new Map<number, PacketKeyHandle>();
  for (const packet of referral.packets) {
    if (!packet.caseKeyWrap) continue;
    try {
      const opened = await worker.unwrapPacketKey(
        caseKey,
        { referralId: referral.id, version: packet.keyVersion },
        fromBase64Url(packet.caseKeyWrap),
      );
      keys.set(packet.keyVersion, opened.packetKey);
    } catch {
      // A wrap that does not open leaves that packet's notes unreadable, nothing else.
    }
  }
  return keys;
}

/** Opens everything a case grantee may read of a case's referrals, one referral at a time. */
export async function openCaseReferrals(
  worker: Worker,
  caseKey: CaseKeyHandle | null,
  referrals: readonly CaseReferral[],
): Promise<OpenedReferral[]> {
  const out: OpenedReferral[] = [];
  for (const referral of referrals) {
    const staffNotes = referral.transitions.filter((t) => t.note !== null && t.noteKey === 'case');
    const override = referral.packets.at(-1)?.overrideReason ?? null;
    const opened = await decryptAll<unknown>(worker, [
      {
        key: caseKey,
        ref: reasonRef(referral.id),
        envelope: referral.reason,
        schema: ReferralReason,
      },
      ...staffNotes.map((t) => ({
        key: caseKey,
        ref: staffNoteRef(t.id),
        envelope: t.note ?? '',
        schema: ReferralNote,
      })),
      ...(override
        ? [
            {
              key: caseKey,
              ref: overrideRef(referral.id),
              envelope: override,
              schema: OverrideReason,
            },
          ]
        : []),
    ]);
    const reason = opened[0] as Opened<ReferralReason>;
    const staffById = new Map(
      staffNotes.map((t, i) => [t.id, opened[i + 1] as Opened<ReferralNote>]),
    );
    const overrideOpened = override
      ? ((opened[staffNotes.length + 1] as Opened<OverrideReason> | undefined) ?? { ok: false })
      : null;

    const packetKeys = caseKey
      ? await packetKeysOf(worker, caseKey, referral)
      : new Map<number, PacketKeyHandle>();
    const assigneeNotes = referral.transitions.filter(
      (t) => t.note !== null && t.noteKey === 'packet',
    );
    const readable = assigneeNotes.filter((t) => packetKeys.has(t.packetKeyVersion ?? -1));
    const results = await worker.decryptPacketNotesJson(
      readable.map((t) => ({
        packetKey: packetKeys.get(t.packetKeyVersion ?? -1) as PacketKeyHandle,
        noteId: t.id,
        envelope: fromBase64Url(t.note ?? ''),
      })),
    );
    const packetById = new Map(
      readable.map((t, i) => {
        const result = results[i];
        const parsed = result?.ok ? ReferralNote.safeParse(result.value) : null;
        return [
          t.id,
          parsed?.success ? { ok: true as const, value: parsed.data } : { ok: false as const },
        ];
      }),
    );

    let packet: Opened<ReferralPacketContent> | null = null;
    const latest = referral.packets.at(-1);
    if (latest) {
      packet = { ok: false };
      const key = packetKeys.get(latest.keyVersion);
      if (key && latest.envelope) {
        try {
          const value = await worker.decryptPacketJson(key, fromBase64Url(latest.envelope));
          const parsed = ReferralPacketContent.safeParse(value);
          if (parsed.success) packet = { ok: true, value: parsed.data };
        } catch {
          // stays unreadable
        }
      }
    }
    for (const key of packetKeys.values()) await worker.release(key);

    out.push({
      referral,
      reason,
      overrideReason: overrideOpened,
      packet,
      transitions: referral.transitions.map((transition) => ({
        transition,
        note:
          transition.note === null
            ? null
            : transition.noteKey === 'case'
              ? (staffById.get(transition.id) ?? {
                  ok: false,
                })
              : (packetById.get(transition.id) ?? { ok: false }),
      })),
    });
  }
  return out;
}

// ---- the assignee's view -----------------------------------------------------------------------

export interface OpenedAssignment {
  referral: AssignedReferral;
  /** Held in the worker for notes; null when the grant did not open. */
  packetKey: PacketKeyHandle | null;
  packet: Opened<ReferralPacketContent>;
  transitions: OpenedTransition[];
}

/**
 * Opens an assigned referral: the granter's chain must verify as a coordinator's against the
 * pinned root, the grant must be addressed to the caller for this referral and packet key
 * version and signed by that coordinator; then the packet and the notes under that key.
 */
export async function openAssignment(
  worker: Worker,
  me: UserHandle,
  referral: AssignedReferral,
): Promise<OpenedAssignment> {
  let packetKey: PacketKeyHandle | null = null;
  try {
    const granter = await worker.verifyCertificate(
      referral.granterCertificateChain.map(fromBase64Url),
      { subjectId: referral.grantedBy, roles: ['coordinator'] },
    );
    const opened = await worker.openPacketGrant(me, fromBase64Url(referral.grant), {
      referralId: referral.id,
      version: referral.packetKeyVersion,
      granter: granter.key,
    });
    packetKey = opened.packetKey;
  } catch {
    return {
      referral,
      packetKey: null,
      packet: { ok: false },
      transitions: referral.transitions.map((transition) => ({
        transition,
        note: transition.note === null ? null : { ok: false },
      })),
    };
  }
  let packet: Opened<ReferralPacketContent> = { ok: false };
  try {
    const value = await worker.decryptPacketJson(packetKey, fromBase64Url(referral.packet));
    const parsed = ReferralPacketContent.safeParse(value);
    if (parsed.success) packet = { ok: true, value: parsed.data };
  } catch {
    // stays unreadable
  }
  const mine = referral.transitions.filter(
    (t) =>
      t.note !== null && t.noteKey === 'packet' && t.packetKeyVersion === referral.packetKeyVersion,
  );
  const key = packetKey;
  const results = await worker.decryptPacketNotesJson(
    mine.map((t) => ({ packetKey: key, noteId: t.id, envelope: fromBase64Url(t.note ?? '') })),
  );
  const byId = new Map(
    mine.map((t, i) => {
      const result = results[i];
      const parsed = result?.ok ? ReferralNote.safeParse(result.value) : null;
      return [
        t.id,
        parsed?.success ? { ok: true as const, value: parsed.data } : { ok: false as const },
      ];
    }),
  );
  return {
    referral,
    packetKey,
    packet,
    transitions: referral.transitions.map((transition) => ({
      transition,
      note: transition.note === null ? null : (byId.get(transition.id) ?? { ok: false }),
    })),
  };
}
