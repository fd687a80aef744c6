import { z } from 'zod';
import { Certificate } from '../auth/auth';
import { CaseCode } from '../cases/case-code';
import { EnvelopeText, GrantInput, RecordEnvelope } from '../cases/cases';
import { ReferralService } from './partners';

/**
 * Referrals (docs/referrals.md). The server stores in clear only what DESIGN.md allows:
 * service, urgency, status, assignee, due day, the names of the fields shared. The reason,
 * every note and the packet are ciphertext made in the browser.
 */

const day = z.iso.date();
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const REFERRAL_STATUSES = [
  'proposed',
  'assigned',
  'accepted',
  'declined',
  'in_progress',
  'completed',
  'failed',
  'rejected',
  'cancelled',
  'revoked',
] as const;
export const ReferralStatus = z.enum(REFERRAL_STATUSES).meta({ id: 'ReferralStatus' });
export type ReferralStatus = z.infer<typeof ReferralStatus>;

export const REFERRAL_URGENCIES = ['routine', 'urgent', 'critical'] as const;
export const ReferralUrgency = z.enum(REFERRAL_URGENCIES).meta({ id: 'ReferralUrgency' });
export type ReferralUrgency = z.infer<typeof ReferralUrgency>;

/** Fields of a case the caseworker may choose to put in a packet (names only, never content). */
export const PACKET_FIELDS = [
  'contact',
  'location',
  'needs',
  'situation',
  'language',
  'notes',
] as const;
export const PacketField = z.enum(PACKET_FIELDS).meta({ id: 'PacketField' });
export type PacketField = z.infer<typeof PacketField>;

/** Who may make a transition: the coordinator, the proposing caseworker, or the assignee. */
export type ReferralActor = 'coordinator' | 'proposer' | 'assignee';

/**
 * The referral state machine: for each status, the statuses it may become and who may make
 * the change. Anything not listed answers 409 "A referral that is <from> cannot become <to>".
 */
export const REFERRAL_TRANSITIONS: Readonly<
  Record<ReferralStatus, Readonly<Partial<Record<ReferralStatus, readonly ReferralActor[]>>>>
> = {
  proposed: {
    assigned: ['coordinator'],
    rejected: ['coordinator'],
    cancelled: ['proposer', 'coordinator'],
  },
  assigned: {
    accepted: ['assignee'],
    declined: ['assignee'],
    revoked: ['coordinator'],
    cancelled: ['coordinator'],
  },
  declined: { assigned: ['coordinator'], cancelled: ['coordinator'] },
  accepted: { in_progress: ['assignee'], revoked: ['coordinator'], cancelled: ['coordinator'] },
  in_progress: { completed: ['assignee'], failed: ['assignee'], revoked: ['coordinator'] },
  completed: {},
  failed: {},
  rejected: {},
  cancelled: {},
  revoked: {},
};

export const TERMINAL_REFERRAL_STATUSES: readonly ReferralStatus[] = REFERRAL_STATUSES.filter(
  (s) => Object.keys(REFERRAL_TRANSITIONS[s]).length === 0,
);

/** Transitions that must carry a note (reason or outcome). */
export const REFERRAL_NOTE_REQUIRED: readonly ReferralStatus[] = [
  'rejected',
  'declined',
  'completed',
  'failed',
];

export function referralTransitionMessage(from: ReferralStatus, to: ReferralStatus): string {
  return `A referral that is ${from} cannot become ${to}`;
}

/** Whether the referral is past its due day (and still open). Days are ISO `YYYY-MM-DD`. */
export function isReferralOverdue(
  referral: { status: ReferralStatus; dueOn: string | null },
  today: string,
): boolean {
  return (
    referral.dueOn !== null &&
    referral.dueOn < today &&
    !TERMINAL_REFERRAL_STATUSES.includes(referral.status)
  );
}

export const ConsentBasis = z.enum(['consent', 'override']).meta({ id: 'ConsentBasis' });
export type ConsentBasis = z.infer<typeof ConsentBasis>;

/** Which key a transition note is under: the case key (staff) or the packet key (assignee). */
export const NoteKey = z.enum(['case', 'packet']).meta({ id: 'ReferralNoteKey' });
export type NoteKey = z.infer<typeof NoteKey>;

/** Packets stay readable by the assignee for this many days after assignment unless given. */
/**
 * Record kinds (the `kind` of a RecordRef) of referral items under the case key. A case key
 * rotation re-encrypts every one of them (docs/referrals.md, "Case key rotation").
 */
export const REFERRAL_RECORD = {
  /** The proposer's reason; record id = the referral id. */
  reason: 'referral',
  /** A staff note on a transition; record id = the transition id. */
  staffNote: 'referral-note',
  /** A coordinator's consent override reason; record id = the referral id. */
  override: 'referral-override',
  /** A packet key wrapped under the case key (libs/crypto wrapPacketKey); id = the referral id. */
  packetKeyWrap: 'packet-key',
} as const;

export const DEFAULT_PACKET_TTL_DAYS = 30;
export const MAX_PACKET_TTL_DAYS = 180;

/** A packet envelope (encryptPacket / encryptPacketNote), unpadded base64url. */
export const PacketEnvelope = z
  .string()
  .min(62, { error: 'is too short to be a packet envelope' })
  .regex(BASE64URL, { error: 'must be unpadded base64url' })
  .meta({
    id: 'PacketEnvelope',
    description: 'Packet envelope (encryptPacket, encryptPacketNote), unpadded base64url.',
  });

/**
 * A note written with a transition. `id` is the transition's id, chosen by the browser because
 * the ciphertext is bound to it: staff notes are record envelopes under the case key (kind
 * `referral-note`, record id = the transition id); assignee notes are packet notes
 * (encryptPacketNote, note id = the transition id) under the current packet key.
 */
export const TransitionNote = z
  .object({ id: z.uuid(), envelope: z.string().min(62).regex(BASE64URL) })
  .meta({ id: 'ReferralTransitionNote' });
export type TransitionNote = z.infer<typeof TransitionNote>;

/**
 * What a packet's plaintext is (JSON, then encryptPacket): the chosen fields' text. The server
 * never sees it; it is here so that the browsers that write and read packets agree.
 */
export const ReferralPacketContent = z
  .object({
    format: z.literal(1),
    service: ReferralService,
    urgency: ReferralUrgency,
    fields: z.partialRecord(PacketField, z.string().max(50_000)),
  })
  .meta({ id: 'ReferralPacketContent' });
export type ReferralPacketContent = z.infer<typeof ReferralPacketContent>;

const ExpectedVersion = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'The referral version the change was based on; another one answers 409.' });

// ---- params ------------------------------------------------------------------------------------

export const ReferralIdParams = z.object({ referralId: z.uuid() });

// ---- consent -----------------------------------------------------------------------------------

export const RecordConsentRequest = z
  .object({
    /** The day the person consented to sharing with partners (not in the future). */
    consentOn: day,
  })
  .meta({ id: 'RecordConsentRequest' });
export type RecordConsentRequest = z.infer<typeof RecordConsentRequest>;

export const ConsentResponse = z
  .object({ shareConsentOn: day.nullable() })
  .meta({ id: 'ConsentResponse' });
export type ConsentResponse = z.infer<typeof ConsentResponse>;

// ---- propose (caseworker) ----------------------------------------------------------------------

export const ProposeReferralRequest = z
  .object({
    /** Chosen by the browser: the reason's ciphertext is bound to it. */
    id: z.uuid(),
    service: ReferralService,
    urgency: ReferralUrgency,
    dueOn: day.nullable().default(null),
    fields: z
      .array(PacketField)
      .min(1, { error: 'pick at least one field to share' })
      .max(PACKET_FIELDS.length)
      .refine((f) => new Set(f).size === f.length, { error: 'lists a field twice' }),
    /** Why: a record envelope under the case key, kind `referral`, record id = the referral id. */
    reason: RecordEnvelope,
  })
  .meta({ id: 'ProposeReferralRequest' });
export type ProposeReferralRequest = z.input<typeof ProposeReferralRequest>;

export const ReferralVersionResponse = z
  .object({ id: z.uuid(), status: ReferralStatus, version: z.number().int(), updatedOn: day })
  .meta({ id: 'ReferralVersionResponse' });
export type ReferralVersionResponse = z.infer<typeof ReferralVersionResponse>;

// ---- coordinator -------------------------------------------------------------------------------

export const ReferralAssignee = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('partner'), partnerOrgId: z.uuid() }),
    z.object({ kind: z.literal('caseworker'), userId: z.uuid() }),
  ])
  .meta({ id: 'ReferralAssignee' });
export type ReferralAssignee = z.infer<typeof ReferralAssignee>;

export const PacketInput = z
  .object({
    /** Must equal the referral's `nextPacketKeyVersion` (a fresh key at every assignment). */
    keyVersion: z.number().int().min(1),
    /** encryptPacket(packetKey, JSON of ReferralPacketContent). */
    envelope: PacketEnvelope,
    /** wrapPacketKey(caseKey, packetKey): at the case's current key version. */
    caseKeyWrap: RecordEnvelope,
    /**
     * sealPacketKeyGrant to every certified, enabled member of the partner organisation (all of
     * them, no one else), or to the internal caseworker; signed by the caller.
     */
    grants: z.array(GrantInput).min(1, { error: 'the packet must be sealed to someone' }).max(100),
    /** Days the assignee may read the packet; default DEFAULT_PACKET_TTL_DAYS. */
    ttlDays: z.number().int().min(1).max(MAX_PACKET_TTL_DAYS).optional(),
  })
  .meta({ id: 'ReferralPacketInput' });
export type PacketInput = z.input<typeof PacketInput>;

export const AssignReferralRequest = z
  .object({
    expectedVersion: ExpectedVersion,
    assignee: ReferralAssignee,
    /** Replaces the proposed due day when given. */
    dueOn: day.nullable().optional(),
    /** `consent` needs the case's share consent recorded; `override` needs overrideReason. */
    consentBasis: ConsentBasis,
    /** Record envelope under the case key, kind `referral-override`, record id = referral id. */
    overrideReason: RecordEnvelope.optional(),
    packet: PacketInput,
    /** Staff note under the case key (kind `referral-note`). */
    note: TransitionNote.optional(),
  })
  .refine((b) => b.consentBasis !== 'override' || b.overrideReason !== undefined, {
    error: 'an override needs a written reason',
    path: ['overrideReason'],
  })
  .refine((b) => b.consentBasis !== 'consent' || b.overrideReason === undefined, {
    error: 'only an override carries an override reason',
    path: ['overrideReason'],
  })
  .meta({ id: 'AssignReferralRequest' });
export type AssignReferralRequest = z.input<typeof AssignReferralRequest>;

/** Reject (note required), revoke and cancel (note optional). Staff notes: case key. */
export const StaffTransitionRequest = z
  .object({ expectedVersion: ExpectedVersion, note: TransitionNote.optional() })
  .meta({ id: 'StaffReferralTransitionRequest' });
export type StaffTransitionRequest = z.input<typeof StaffTransitionRequest>;

export const RejectReferralRequest = z
  .object({ expectedVersion: ExpectedVersion, note: TransitionNote })
  .meta({ id: 'RejectReferralRequest' });
export type RejectReferralRequest = z.input<typeof RejectReferralRequest>;

// ---- assignee (partner or internal caseworker) ---------------------------------------------------

export const ASSIGNEE_TARGETS = [
  'accepted',
  'declined',
  'in_progress',
  'completed',
  'failed',
] as const;

export const AssigneeTransitionRequest = z
  .object({
    expectedVersion: ExpectedVersion,
    to: z.enum(ASSIGNEE_TARGETS),
    /** Packet note under the current packet key; required to decline, complete or fail. */
    note: TransitionNote.optional(),
  })
  .refine((b) => b.note !== undefined || !REFERRAL_NOTE_REQUIRED.includes(b.to), {
    error: 'a reason or outcome is required',
    path: ['note'],
  })
  .meta({ id: 'AssigneeReferralTransitionRequest' });
export type AssigneeTransitionRequest = z.input<typeof AssigneeTransitionRequest>;

// ---- reads -------------------------------------------------------------------------------------

export const ReferralTransition = z
  .object({
    id: z.uuid(),
    /** Null for the proposal itself. */
    from: ReferralStatus.nullable(),
    to: ReferralStatus,
    actorId: z.uuid(),
    day,
    note: EnvelopeText.nullable(),
    noteKey: NoteKey.nullable(),
    /** For packet notes: the packet key version the note is under. */
    packetKeyVersion: z.number().int().nullable(),
  })
  .meta({ id: 'ReferralTransition' });
export type ReferralTransition = z.infer<typeof ReferralTransition>;

export const ReferralPacketInfo = z
  .object({
    keyVersion: z.number().int(),
    /** Null once the packet has expired and been purged. */
    envelope: EnvelopeText.nullable(),
    caseKeyWrap: EnvelopeText.nullable(),
    consentBasis: ConsentBasis,
    overrideReason: EnvelopeText.nullable(),
    expiresOn: day,
    createdOn: day,
    /** Some assignee still holds a grant of this packet key. */
    live: z.boolean(),
    /** Who the packet key is sealed to right now. */
    grantees: z.array(z.uuid()),
  })
  .meta({ id: 'ReferralPacketInfo' });
export type ReferralPacketInfo = z.infer<typeof ReferralPacketInfo>;

/** A referral as case grantees see it (the case's Referrals tab). */
export const CaseReferral = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseCode: CaseCode,
    service: ReferralService,
    urgency: ReferralUrgency,
    status: ReferralStatus,
    version: z.number().int(),
    partnerOrgId: z.uuid().nullable(),
    partnerName: z.string().nullable(),
    assigneeUserId: z.uuid().nullable(),
    proposedBy: z.uuid(),
    decidedBy: z.uuid().nullable(),
    dueOn: day.nullable(),
    overdue: z.boolean(),
    createdOn: day,
    updatedOn: day,
    fields: z.array(PacketField),
    /** Record envelope under the case key (kind `referral`). */
    reason: EnvelopeText,
    /** The packet key version the next assignment must use. */
    nextPacketKeyVersion: z.number().int(),
    /** Every packet made for this referral, oldest first (one per assignment). */
    packets: z.array(ReferralPacketInfo),
    /** Oldest first; the first is the proposal (from null). */
    transitions: z.array(ReferralTransition),
  })
  .meta({ id: 'CaseReferral' });
export type CaseReferral = z.infer<typeof CaseReferral>;

export const CaseReferralsResponse = z
  .object({
    today: day,
    /** The day the person consented to sharing with partners; null when not recorded. */
    shareConsentOn: day.nullable(),
    referrals: z.array(CaseReferral),
  })
  .meta({ id: 'CaseReferralsResponse' });
export type CaseReferralsResponse = z.infer<typeof CaseReferralsResponse>;

// ---- coordinator board -------------------------------------------------------------------------

export const ReferralBoardQuery = z
  .object({
    service: ReferralService.optional(),
    partner: z.uuid().optional(),
    status: ReferralStatus.optional(),
    /** `true`: only open referrals past their due day. */
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .meta({ id: 'ReferralBoardQuery' });
export type ReferralBoardQuery = z.input<typeof ReferralBoardQuery>;

export const ReferralBoardItem = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseCode: CaseCode,
    service: ReferralService,
    urgency: ReferralUrgency,
    status: ReferralStatus,
    version: z.number().int(),
    partnerOrgId: z.uuid().nullable(),
    partnerName: z.string().nullable(),
    assigneeUserId: z.uuid().nullable(),
    proposedBy: z.uuid(),
    dueOn: day.nullable(),
    overdue: z.boolean(),
    createdOn: day,
    updatedOn: day,
    fields: z.array(PacketField),
    /** The caller holds a grant on the case: it can open the case and make packets. */
    canReadCase: z.boolean(),
  })
  .meta({ id: 'ReferralBoardItem' });
export type ReferralBoardItem = z.infer<typeof ReferralBoardItem>;

export const ReferralBoardResponse = z
  .object({
    today: day,
    /** Every status with its count under the service/partner/overdue filters. */
    counts: z.array(z.object({ status: ReferralStatus, count: z.number().int() })),
    overdueCount: z.number().int(),
    /** At most 500, most urgent then oldest due first. */
    referrals: z.array(ReferralBoardItem),
  })
  .meta({ id: 'ReferralBoardResponse' });
export type ReferralBoardResponse = z.infer<typeof ReferralBoardResponse>;

// ---- assignee view (partner users; internal caseworkers: "Referrals for me") ----------------

export const AssignedReferral = z
  .object({
    id: z.uuid(),
    service: ReferralService,
    urgency: ReferralUrgency,
    status: ReferralStatus,
    version: z.number().int(),
    /** Null for an internal caseworker assignment. */
    partnerOrgId: z.uuid().nullable(),
    dueOn: day.nullable(),
    overdue: z.boolean(),
    assignedOn: day,
    updatedOn: day,
    fields: z.array(PacketField),
    packetKeyVersion: z.number().int(),
    expiresOn: day,
    /** The caller's grant of the packet key (openPacketKeyGrant). */
    grant: EnvelopeText,
    /** The coordinator who sealed it, with the chain to verify against the pinned root. */
    grantedBy: z.uuid(),
    granterCertificateChain: z.array(Certificate).min(1).max(2),
    /** encryptPacket output. */
    packet: EnvelopeText,
    /** Transitions since this assignment; notes only where under this packet key. */
    transitions: z.array(ReferralTransition),
  })
  .meta({ id: 'AssignedReferral' });
export type AssignedReferral = z.infer<typeof AssignedReferral>;

export const AssignedReferralListResponse = z
  .object({ today: day, referrals: z.array(AssignedReferral) })
  .meta({ id: 'AssignedReferralListResponse' });
export type AssignedReferralListResponse = z.infer<typeof AssignedReferralListResponse>;
