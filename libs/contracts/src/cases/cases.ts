import { z } from 'zod';
import { Certificate } from '../auth/auth';
import { CaseCode } from './case-code';

/**
 * The cases API (docs/cases.md). Everything a person said or needs travels as record envelopes
 * encrypted in the browser; the server sees only what DESIGN.md allows in clear: codes, status,
 * priority, assignee, supervisor, grants, key versions, follow-up days, dates.
 */

export const CASE_STATUSES = ['new', 'active', 'referred', 'closed'] as const;
export const CaseStatus = z.enum(CASE_STATUSES).meta({ id: 'CaseStatus' });
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CASE_PRIORITIES = ['routine', 'urgent', 'critical'] as const;
export const CasePriority = z.enum(CASE_PRIORITIES).meta({ id: 'CasePriority' });
export type CasePriority = z.infer<typeof CasePriority>;

/**
 * Allowed status changes. Reopening (closed → active) must carry a reason (an encrypted
 * status note in the same request); anything not listed is refused with 409.
 */
export const STATUS_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['active'],
  active: ['referred', 'closed'],
  referred: ['active', 'closed'],
  closed: ['active'],
};

export function isAllowedTransition(from: CaseStatus, to: CaseStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** Transitions that need a reason (an encrypted status note). */
export function transitionNeedsReason(from: CaseStatus, to: CaseStatus): boolean {
  return from === 'closed' && to === 'active';
}

/** A record envelope may hold at most this many bytes: a 256 KiB padded record + 46 bytes. */
export const MAX_RECORD_ENVELOPE_BYTES = 256 * 1024 + 46;
/** Record envelope overhead (docs/crypto.md): header, key version, nonce, tag. */
export const RECORD_ENVELOPE_OVERHEAD = 46;
/** A grant is about 270 bytes with uuid ids; ids may be up to 256 bytes each. */
export const MAX_GRANT_ENVELOPE_BYTES = 1024;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A record envelope (docs/crypto.md, "Record envelope") as unpadded base64url. The server checks
 * its header and key version and refuses more than MAX_RECORD_ENVELOPE_BYTES with 413; what it
 * says only a grantee's browser can read.
 */
export const RecordEnvelope = z
  .string()
  .min(62, { error: 'is too short to be a record envelope' })
  .regex(BASE64URL, { error: 'must be unpadded base64url' })
  .meta({
    id: 'RecordEnvelope',
    description: 'Record envelope (encryptRecord), unpadded base64url; at most 262,190 bytes.',
  });

/** A case-key grant (sealCaseKeyGrant), unpadded base64url. */
export const GrantEnvelope = z
  .string()
  .min(2)
  .max(Math.ceil((MAX_GRANT_ENVELOPE_BYTES * 4) / 3), { error: 'is too long to be a grant' })
  .regex(BASE64URL, { error: 'must be unpadded base64url' })
  .meta({ id: 'GrantEnvelope', description: 'Sealed and signed key grant, unpadded base64url.' });

/**
 * An envelope in a response. The server made the text itself from bytes it stores, so the
 * alphabet is not re-checked on the way out (a regex over every envelope of a 50-row page was a
 * measurable share of the list's cost); the browser's decoder refuses anything else anyway.
 */
export const EnvelopeText = z
  .string()
  .meta({ description: 'Envelope (record or grant), unpadded base64url.' });

/** A blind index (blindIndex in @haven/crypto): 2 bytes as 4 lower-case hex digits. */
export const BlindIndexDigest = z
  .string()
  .regex(/^[0-9a-f]{4}$/, { error: 'must be 4 lower-case hex digits' })
  .meta({ description: 'Truncated keyed hash of a normalised phone number or handle.' });
export const BlindIndexKind = z.enum(['phone', 'handle']);
export type BlindIndexKind = z.infer<typeof BlindIndexKind>;

export const BlindIndexEntry = z.object({ kind: BlindIndexKind, digest: BlindIndexDigest });
export type BlindIndexEntry = z.infer<typeof BlindIndexEntry>;

const BlindIndexes = z.array(BlindIndexEntry).max(20, { error: 'at most 20 blind indexes' });

export const GrantInput = z.object({ userId: z.uuid(), envelope: GrantEnvelope });
export type GrantInput = z.infer<typeof GrantInput>;

/** An encrypted timeline note written together with another change (reason for it). */
export const NoteInput = z.object({ id: z.uuid(), envelope: RecordEnvelope });
export type NoteInput = z.infer<typeof NoteInput>;

const ExpectedVersion = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'The version the edit was based on; another one answers 409.' });

const day = z.iso.date();

// ---- path parameters ---------------------------------------------------------------------------

export const CaseCodeParams = z.object({ code: CaseCode });
export const CaseEntryParams = z.object({ code: CaseCode, entryId: z.uuid() });
export const CaseGrantParams = z.object({ code: CaseCode, userId: z.uuid() });

// ---- create ------------------------------------------------------------------------------------

export const CreateCaseRequest = z
  .object({
    /** Chosen by the browser, because the case id is part of every ciphertext's binding. */
    id: z.uuid(),
    priority: CasePriority,
    /** A certified coordinator who will hold a grant. */
    supervisorId: z.uuid(),
    /** Defaults to the creator when the creator is a caseworker. */
    assigneeId: z.uuid().nullable().optional(),
    profile: RecordEnvelope,
    summary: RecordEnvelope,
    /** Case key v1 sealed to the creator, the supervisor and the assignee (≥ 2 people). */
    grants: z.array(GrantInput).min(2, { error: 'a case needs at least two grantees' }).max(10),
    blindIndexes: BlindIndexes.default([]),
  })
  .meta({ id: 'CreateCaseRequest' });
export type CreateCaseRequest = z.input<typeof CreateCaseRequest>;

export const CreateCaseResponse = z
  .object({ id: z.uuid(), code: CaseCode, version: z.number().int() })
  .meta({ id: 'CreateCaseResponse' });
export type CreateCaseResponse = z.infer<typeof CreateCaseResponse>;

// ---- list --------------------------------------------------------------------------------------

export const CASE_LIST_MAX = 100;

export const CaseListQuery = z
  .object({
    /** `mine`: cases the caller holds a grant for; `all` (coordinators): every case. */
    scope: z.enum(['mine', 'all']).default('mine'),
    status: CaseStatus.optional(),
    priority: CasePriority.optional(),
    assignee: z.uuid().optional(),
    /** `nextCursor` of the previous page. */
    cursor: z
      .string()
      .max(100)
      .regex(BASE64URL, { error: 'is not a cursor from this list' })
      .optional(),
    limit: z.coerce.number().int().min(1).max(CASE_LIST_MAX).default(50),
  })
  .meta({ id: 'CaseListQuery' });
export type CaseListQuery = z.input<typeof CaseListQuery>;

export const CaseListItem = z
  .object({
    id: z.uuid(),
    code: CaseCode,
    status: CaseStatus,
    priority: CasePriority,
    assigneeId: z.uuid().nullable(),
    supervisorId: z.uuid(),
    updatedOn: day,
    keyVersion: z.number().int(),
    /** The summary record; null where the caller holds no grant (metadata only). */
    summary: EnvelopeText.nullable(),
    /** The caller's grant for the current key version, null where there is none. */
    grant: EnvelopeText.nullable(),
  })
  .meta({ id: 'CaseListItem' });
export type CaseListItem = z.infer<typeof CaseListItem>;

export const CaseListResponse = z
  .object({
    items: z.array(CaseListItem),
    /** Opaque; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'CaseListResponse' });
export type CaseListResponse = z.infer<typeof CaseListResponse>;

// ---- read --------------------------------------------------------------------------------------

export const ENTRY_KINDS = ['contact', 'status_note', 'access_note'] as const;
export const EntryKind = z.enum(ENTRY_KINDS).meta({ id: 'CaseEntryKind' });
export type EntryKind = z.infer<typeof EntryKind>;

export const CaseGrantInfo = z
  .object({
    userId: z.uuid(),
    keyVersion: z.number().int(),
    grantedBy: z.uuid(),
    createdOn: day,
  })
  .meta({ id: 'CaseGrantInfo' });
export type CaseGrantInfo = z.infer<typeof CaseGrantInfo>;

export const CaseEntry = z
  .object({
    id: z.uuid(),
    kind: EntryKind,
    /** Position in the case's timeline (1, 2, …). */
    ordinal: z.number().int(),
    envelope: RecordEnvelope,
    keyVersion: z.number().int(),
    version: z.number().int(),
    authorId: z.uuid(),
    followUpOn: day.nullable(),
    followUpUserId: z.uuid().nullable(),
    createdOn: day,
    updatedOn: day,
  })
  .meta({ id: 'CaseEntry' });
export type CaseEntry = z.infer<typeof CaseEntry>;

export const CaseDetail = z
  .object({
    id: z.uuid(),
    code: CaseCode,
    status: CaseStatus,
    priority: CasePriority,
    assigneeId: z.uuid().nullable(),
    supervisorId: z.uuid(),
    keyVersion: z.number().int(),
    version: z.number().int(),
    createdOn: day,
    updatedOn: day,
    closedOn: day.nullable(),
    /** A grant was removed and the key has not been rotated yet: content writes wait for it. */
    rotationDue: z.boolean(),
    /** The day the person consented to sharing with partners (docs/referrals.md); null if not. */
    shareConsentOn: day.nullable().optional(),
    /** The caller's grant of the current case key. */
    myGrant: GrantEnvelope,
    profile: RecordEnvelope,
    summary: RecordEnvelope,
    /** Who holds a grant (the access tab). */
    grants: z.array(CaseGrantInfo),
    /** The timeline, oldest first. */
    entries: z.array(CaseEntry),
  })
  .meta({ id: 'CaseDetail' });
export type CaseDetail = z.infer<typeof CaseDetail>;

// ---- edits -------------------------------------------------------------------------------------

export const UpdateCaseRequest = z
  .object({
    expectedVersion: ExpectedVersion,
    priority: CasePriority.optional(),
    /** Profile and summary change together (the summary is derived from the profile). */
    profile: RecordEnvelope.optional(),
    summary: RecordEnvelope.optional(),
    /** Replaces the case's blind indexes when given (the contact channels changed). */
    blindIndexes: BlindIndexes.optional(),
  })
  .refine((b) => (b.profile === undefined) === (b.summary === undefined), {
    error: 'profile and summary must be sent together',
    path: ['summary'],
  })
  .meta({ id: 'UpdateCaseRequest' });
export type UpdateCaseRequest = z.input<typeof UpdateCaseRequest>;

export const CaseVersionResponse = z
  .object({ version: z.number().int(), updatedOn: day })
  .meta({ id: 'CaseVersionResponse' });
export type CaseVersionResponse = z.infer<typeof CaseVersionResponse>;

export const ChangeStatusRequest = z
  .object({
    expectedVersion: ExpectedVersion,
    status: CaseStatus,
    /** A `status_note` entry (StatusNote inside); required to reopen a closed case. */
    note: NoteInput.optional(),
  })
  .meta({ id: 'ChangeStatusRequest' });
export type ChangeStatusRequest = z.input<typeof ChangeStatusRequest>;

export const ChangeStatusResponse = z
  .object({ version: z.number().int(), status: CaseStatus, updatedOn: day })
  .meta({ id: 'ChangeStatusResponse' });
export type ChangeStatusResponse = z.infer<typeof ChangeStatusResponse>;

export const CreateEntryRequest = z
  .object({
    id: z.uuid(),
    envelope: RecordEnvelope,
    followUpOn: day.nullable().default(null),
    /** Who is to follow up (a grantee); defaults to the author when a day is set. */
    followUpUserId: z.uuid().nullable().default(null),
  })
  .meta({ id: 'CreateEntryRequest' });
export type CreateEntryRequest = z.input<typeof CreateEntryRequest>;

export const UpdateEntryRequest = z
  .object({
    expectedVersion: ExpectedVersion,
    envelope: RecordEnvelope,
    followUpOn: day.nullable(),
    followUpUserId: z.uuid().nullable().default(null),
  })
  .meta({ id: 'UpdateEntryRequest' });
export type UpdateEntryRequest = z.input<typeof UpdateEntryRequest>;

export const EntryVersionResponse = z
  .object({ id: z.uuid(), version: z.number().int(), ordinal: z.number().int() })
  .meta({ id: 'EntryVersionResponse' });
export type EntryVersionResponse = z.infer<typeof EntryVersionResponse>;

// ---- access ------------------------------------------------------------------------------------

export const ShareCaseRequest = z
  .object({
    userId: z.uuid(),
    /** The current case key sealed to the colleague by the caller. */
    envelope: GrantEnvelope,
    /** An `access_note` entry with the reason (required). */
    note: NoteInput,
  })
  .meta({ id: 'ShareCaseRequest' });
export type ShareCaseRequest = z.input<typeof ShareCaseRequest>;

export const AssignCaseRequest = z
  .object({
    assigneeId: z.uuid().nullable(),
    /** Required when the new assignee holds no grant yet: sealed by the caller (a grantee). */
    grant: GrantEnvelope.optional(),
    /** An `access_note` entry (reason), optional. */
    note: NoteInput.optional(),
  })
  .meta({ id: 'AssignCaseRequest' });
export type AssignCaseRequest = z.input<typeof AssignCaseRequest>;

export const AccessChangeResponse = z
  .object({
    keyVersion: z.number().int(),
    rotationDue: z.boolean(),
    grants: z.array(CaseGrantInfo),
    assigneeId: z.uuid().nullable(),
  })
  .meta({ id: 'AccessChangeResponse' });
export type AccessChangeResponse = z.infer<typeof AccessChangeResponse>;

/**
 * The case-key-bound referral items a rotation re-encrypts (docs/referrals.md, "Case key
 * rotation"): every item at `fromVersion`, exactly once, each at `toVersion` and bound to the
 * same record reference as before (kind and record id).
 */
export const RotateReferralItems = z
  .object({
    /** Referral reasons (kind `referral`, record id = the referral id). */
    reasons: z.array(z.object({ id: z.uuid(), envelope: RecordEnvelope })).max(10_000),
    /** Staff transition notes under the case key (kind `referral-note`, id = transition id). */
    notes: z.array(z.object({ id: z.uuid(), envelope: RecordEnvelope })).max(50_000),
    /**
     * Per packet (referral id, packet key version): the packet key wrapped under the case key
     * (kind `packet-key`) and, when the packet has one, the override reason
     * (kind `referral-override`); null when it has none.
     */
    packets: z
      .array(
        z.object({
          referralId: z.uuid(),
          keyVersion: z.number().int().min(1),
          caseKeyWrap: RecordEnvelope,
          overrideReason: RecordEnvelope.nullable(),
        }),
      )
      .max(10_000),
  })
  .meta({ id: 'RotateReferralItems' });
export type RotateReferralItems = z.infer<typeof RotateReferralItems>;

export const RotateCaseRequest = z
  .object({
    fromVersion: z.number().int().min(1),
    toVersion: z.number().int().min(2),
    profile: RecordEnvelope,
    summary: RecordEnvelope,
    /** Every entry of the case, re-encrypted under the new key. */
    entries: z.array(z.object({ id: z.uuid(), envelope: RecordEnvelope })).max(10_000),
    /** The new key sealed to every remaining grantee. */
    grants: z.array(GrantInput).min(2, { error: 'a case needs at least two grantees' }).max(50),
    /**
     * Every referral item under the case key at `fromVersion`, re-encrypted. May be left out
     * only when the case has none (the server then refuses the rotation with 409).
     */
    referrals: RotateReferralItems.default({ reasons: [], notes: [], packets: [] }),
  })
  .meta({ id: 'RotateCaseRequest' });
export type RotateCaseRequest = z.input<typeof RotateCaseRequest>;

// ---- duplicates and follow-ups -----------------------------------------------------------------

export const DuplicateCheckRequest = BlindIndexEntry.meta({ id: 'DuplicateCheckRequest' });
export type DuplicateCheckRequest = z.infer<typeof DuplicateCheckRequest>;

export const DuplicateCheckResponse = z
  .object({
    /** Some case (reachable or not) has this blind index. Buckets collide by design. */
    possibleMatch: z.boolean(),
    /** Codes of matching cases the caller may open; never codes it could not reach anyway. */
    codes: z.array(CaseCode),
  })
  .meta({ id: 'DuplicateCheckResponse' });
export type DuplicateCheckResponse = z.infer<typeof DuplicateCheckResponse>;

export const FollowUpItem = z
  .object({
    caseId: z.uuid(),
    code: CaseCode,
    entryId: z.uuid(),
    kind: EntryKind,
    followUpOn: day,
    keyVersion: z.number().int(),
    envelope: RecordEnvelope,
    grant: GrantEnvelope,
  })
  .meta({ id: 'FollowUpItem' });
export type FollowUpItem = z.infer<typeof FollowUpItem>;

/** Follow-ups due within FOLLOW_UP_HORIZON_DAYS, and overdue ones, soonest first. */
export const FOLLOW_UP_HORIZON_DAYS = 7;

export const FollowUpsResponse = z
  .object({
    today: day,
    overdue: z.array(FollowUpItem),
    due: z.array(FollowUpItem),
  })
  .meta({ id: 'FollowUpsResponse' });
export type FollowUpsResponse = z.infer<typeof FollowUpsResponse>;

// ---- blind-index key ---------------------------------------------------------------------------

/** The subject id of the organisation's blind-index key in its grants. */
export const INDEX_KEY_ID = 'org-blind-index';

export const IndexKeyResponse = z
  .object({
    /** The index key's version; null until a coordinator has created it. */
    version: z.number().int().nullable(),
    /** The caller's grant of it, null when the caller has none yet. */
    grant: GrantEnvelope.nullable(),
    /**
     * Coordinators holding the key: certified caseworkers and coordinators who still lack a
     * grant, so that the coordinator's browser can seal it to them.
     */
    missing: z.array(z.uuid()),
  })
  .meta({ id: 'IndexKeyResponse' });
export type IndexKeyResponse = z.infer<typeof IndexKeyResponse>;

export const IndexKeyGrantsRequest = z
  .object({ version: z.number().int().min(1), grants: z.array(GrantInput).min(1).max(200) })
  .meta({ id: 'IndexKeyGrantsRequest' });
export type IndexKeyGrantsRequest = z.infer<typeof IndexKeyGrantsRequest>;

export const IndexKeyGrantsResponse = z
  .object({ version: z.number().int(), granted: z.number().int() })
  .meta({ id: 'IndexKeyGrantsResponse' });
export type IndexKeyGrantsResponse = z.infer<typeof IndexKeyGrantsResponse>;

/** The message of every stale write (409). */
export const STALE_WRITE_MESSAGE =
  'This record was changed by someone else. Reload to see the latest version.';

// ---- staff directory ---------------------------------------------------------------------------

/** Roles that can hold case grants, and so appear in the staff directory. */
export const GRANTEE_ROLES = ['caseworker', 'coordinator'] as const;

export const StaffDirectoryQuery = z
  .object({ role: z.enum(GRANTEE_ROLES).optional() })
  .meta({ id: 'StaffDirectoryQuery' });
export type StaffDirectoryQuery = z.input<typeof StaffDirectoryQuery>;

export const StaffDirectoryEntry = z
  .object({
    id: z.uuid(),
    username: z.string(),
    role: z.enum(GRANTEE_ROLES),
    /**
     * False for disabled accounts: listed only so that grants they signed earlier can still be
     * verified; nothing is sealed to them.
     */
    active: z.boolean(),
    /**
     * `[adminCert, cert]`: the browser verifies it against the pinned root before sealing a key
     * to this person or trusting a grant they signed.
     */
    certificateChain: z.array(Certificate).min(1).max(2),
  })
  .meta({ id: 'StaffDirectoryEntry' });
export type StaffDirectoryEntry = z.infer<typeof StaffDirectoryEntry>;

export const StaffDirectoryResponse = z
  .object({ staff: z.array(StaffDirectoryEntry) })
  .meta({ id: 'StaffDirectoryResponse' });
export type StaffDirectoryResponse = z.infer<typeof StaffDirectoryResponse>;
