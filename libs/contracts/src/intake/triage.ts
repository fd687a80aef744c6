import { z } from 'zod';
import { CaseCode } from '../cases/case-code';
import { Certificate } from '../auth/auth';
import { GrantInput, NoteInput } from '../cases/cases';
import { ContactEntry } from '../cases/content';
import { IntakeUrgency } from './intake';

/**
 * Triage (coordinators) and the staff side of anonymous threads (docs/intake.md, "Triage").
 * The server moves sealed bytes around: submissions and the person's follow-ups stay sealed to
 * the intake key until a coordinator's browser opens them and re-encrypts their content under a
 * case key; staff replies are sealed to the reply key in the browser.
 */

/** The subject id of the organisation's intake key in its `intake` grants. */
export const INTAKE_KEY_ID = 'org-intake-key';

const base64url = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, `${what} must be unpadded base64url`);

const PublicKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'must be a 32-byte key in unpadded base64url');

// ---- what the coordinator's browser reads out of a submission -------------------------------

const text = (max: number) => z.string().max(max).catch('');
const list = z.array(z.string().max(40)).max(20).catch([]);

/**
 * The intake form as the public page seals it (apps/intake, `IntakePayload` v1). Lenient on
 * purpose: the person wrote it and the coordinator reads it; anything unexpected becomes empty
 * rather than trusted.
 */
export const IntakeFormContent = z.object({
  kind: z.literal('submission'),
  language: text(10),
  contact: z
    .object({ channels: list, details: text(20_000), safeTimes: text(20_000) })
    .catch({ channels: [], details: '', safeTimes: '' }),
  location: z.object({ area: text(40), region: text(20_000) }).catch({ area: '', region: '' }),
  happened: text(100_000),
  needs: list,
  needsOther: text(20_000),
  urgency: IntakeUrgency.catch('routine'),
});
export type IntakeFormContent = z.infer<typeof IntakeFormContent>;

/** A follow-up the person sent with their receipt code (`FollowUpPayload` v1). */
export const IntakeFollowUpContent = z.object({
  kind: z.literal('follow_up'),
  text: z.string().max(100_000),
});
export type IntakeFollowUpContent = z.infer<typeof IntakeFollowUpContent>;

/** A staff reply as sealed to the reply key (`sealReply`). */
export const StaffReplyContent = z.object({ v: z.literal(1), text: z.string().min(1).max(10_000) });
export type StaffReplyContent = z.infer<typeof StaffReplyContent>;

/**
 * A case timeline entry that came through the anonymous channel: a contact entry (channel
 * `intake`) that also carries the thread's reply public key, as read from inside the sealed
 * submission, so that whoever answers seals to the key the person derived, not to a key the
 * server hands out. The cases feature reads it as a plain contact entry.
 */
export const IntakeContactEntry = ContactEntry.extend({
  intake: z.object({
    kind: z.enum(['submission', 'follow_up', 'reply']),
    replyPublicKey: PublicKey,
  }),
});
export type IntakeContactEntry = z.infer<typeof IntakeContactEntry>;

// ---- the queue ------------------------------------------------------------------------------

export const TriageSubmission = z
  .object({
    id: z.uuid(),
    urgency: IntakeUrgency,
    receivedOn: z.iso.date(),
    envelope: base64url('envelope').meta({ description: 'Sealed to the intake key.' }),
    /** The intake key version it is sealed to: newer than the browser's key after a rotation. */
    keyVersion: z.number().int().min(1),
  })
  .meta({ id: 'TriageSubmission' });
export type TriageSubmission = z.infer<typeof TriageSubmission>;

export const TriageFollowUp = z
  .object({
    id: z.uuid(),
    caseCode: CaseCode,
    sentOn: z.iso.date(),
    envelope: base64url('envelope').meta({ description: 'Sealed to the intake key.' }),
    keyVersion: z.number().int().min(1),
  })
  .meta({ id: 'TriageFollowUp' });
export type TriageFollowUp = z.infer<typeof TriageFollowUp>;

export const TriageQueueResponse = z
  .object({
    /** Most urgent first, then oldest first. */
    submissions: z.array(TriageSubmission),
    /** The person's follow-ups on threads linked to cases the caller holds a grant for. */
    followUps: z.array(TriageFollowUp),
  })
  .meta({ id: 'TriageQueueResponse' });
export type TriageQueueResponse = z.infer<typeof TriageQueueResponse>;

export const SubmissionIdParams = z.object({ submissionId: z.uuid() });
export const FollowUpIdParams = z.object({ messageId: z.uuid() });

export const LinkSubmissionRequest = z
  .object({
    /** `convert`: the case was just opened from this submission; `merge`: an existing case. */
    mode: z.enum(['convert', 'merge']),
    caseCode: CaseCode,
    /** The submission's content as an intake contact entry under the case key. */
    entry: NoteInput,
  })
  .meta({ id: 'LinkSubmissionRequest' });
export type LinkSubmissionRequest = z.infer<typeof LinkSubmissionRequest>;

export const DiscardSubmissionRequest = z
  .object({ reason: z.enum(['spam', 'delete']) })
  .meta({ id: 'DiscardSubmissionRequest' });
export type DiscardSubmissionRequest = z.infer<typeof DiscardSubmissionRequest>;

export const FileFollowUpRequest = z
  .object({ entry: NoteInput })
  .meta({ id: 'FileFollowUpRequest' });
export type FileFollowUpRequest = z.infer<typeof FileFollowUpRequest>;

export const TriageDone = z
  .object({ status: z.literal('done'), caseCode: CaseCode.nullable() })
  .meta({ id: 'TriageDone' });
export type TriageDone = z.infer<typeof TriageDone>;

// ---- the intake key ---------------------------------------------------------------------------

/** Someone in the intake key's custody chain, with the certificate chain to verify them by. */
export const IntakeKeyPerson = z
  .object({
    id: z.uuid(),
    username: z.string(),
    role: z.enum(['admin', 'coordinator']),
    /** `[cert]` for an admin (issued by the root), `[adminCert, cert]` for a coordinator. */
    certificateChain: z.array(Certificate).min(1).max(2),
  })
  .meta({ id: 'IntakeKeyPerson' });
export type IntakeKeyPerson = z.infer<typeof IntakeKeyPerson>;

export const IntakeRotationProposal = z
  .object({
    id: z.uuid(),
    fromVersion: z.number().int().min(1),
    /** The proposed new key: the admin compares its fingerprint before signing. */
    intakePublicKey: PublicKey,
    proposedBy: z.object({ id: z.uuid(), username: z.string() }),
    proposedOn: z.iso.date(),
    /**
     * Submissions or follow-ups sealed to the old key arrived after the proposal (or someone
     * it names left): it can no longer be committed, and a coordinator must propose again.
     */
    outdated: z.boolean(),
  })
  .meta({ id: 'IntakeRotationProposal' });
export type IntakeRotationProposal = z.infer<typeof IntakeRotationProposal>;

export const IntakeKeyStatus = z
  .object({
    version: z.number().int().min(1),
    intakePublicKey: PublicKey,
    intakeKeySignature: base64url('signature'),
    /** The caller's `intake` grant (coordinators), null without one. */
    grant: base64url('grant').nullable(),
    /** Who sealed the caller's grant: the browser verifies them before trusting the grant. */
    granter: IntakeKeyPerson.nullable(),
    /** Whether anyone holds the key: a coordinator's grant, or the setup admin's copy. */
    held: z.boolean(),
    /**
     * A coordinator who held the key was disabled or changed role: their grant is gone, and
     * the key must be rotated (docs/intake.md, "Rotation").
     */
    rotationDue: z.boolean(),
    /** For a caller who holds the key: certified, active coordinators without a grant. */
    missing: z.array(IntakeKeyPerson),
    /**
     * For a coordinator who holds the key: every certified, active coordinator (themselves
     * included), whom a rotation must seal the new key to.
     */
    coordinators: z.array(IntakeKeyPerson),
    /** A rotation waiting for the root's signature (docs/intake.md, "Rotation"), or null. */
    proposal: IntakeRotationProposal.nullable(),
  })
  .meta({ id: 'IntakeKeyStatus' });
export type IntakeKeyStatus = z.infer<typeof IntakeKeyStatus>;

export const IntakeKeyGrantsRequest = z
  .object({ version: z.number().int().min(1), grants: z.array(GrantInput).min(1).max(200) })
  .meta({ id: 'IntakeKeyGrantsRequest' });
export type IntakeKeyGrantsRequest = z.infer<typeof IntakeKeyGrantsRequest>;

export const IntakeKeyGrantsResponse = z
  .object({
    version: z.number().int(),
    granted: z.number().int(),
    /** True once the setup admin's wrapped copy was deleted (a coordinator holds the key). */
    adminCopyDeleted: z.boolean(),
  })
  .meta({ id: 'IntakeKeyGrantsResponse' });
export type IntakeKeyGrantsResponse = z.infer<typeof IntakeKeyGrantsResponse>;

// ---- rotation of the intake key ----------------------------------------------------------------

/** A pending submission or follow-up as stored: sealed to the current intake key. */
export const IntakeSealedRow = z
  .object({
    id: z.uuid(),
    envelope: base64url('envelope').max(96 * 1024),
  })
  .meta({ id: 'IntakeSealedRow' });
export type IntakeSealedRow = z.infer<typeof IntakeSealedRow>;

/** At most this many pending rows can be re-sealed in one rotation (submissions + follow-ups). */
export const MAX_ROTATION_ROWS = 5000;

/**
 * Every pending submission and follow-up sealed to the current key (all of them, not only the
 * follow-ups of cases the caller holds a grant for): what a rotation must re-seal.
 */
export const IntakeRotationPending = z
  .object({
    version: z.number().int().min(1),
    submissions: z.array(IntakeSealedRow),
    followUps: z.array(IntakeSealedRow),
  })
  .meta({ id: 'IntakeRotationPending' });
export type IntakeRotationPending = z.infer<typeof IntakeRotationPending>;

export const ProposeIntakeRotationRequest = z
  .object({
    /** The version being replaced; the new key is `fromVersion + 1`. */
    fromVersion: z.number().int().min(1),
    /** The new intake public key (the private half travels only inside the grants). */
    intakePublicKey: PublicKey,
    /** Each pending submission re-sealed to the new key, same id, same padded size. */
    submissions: z.array(IntakeSealedRow).max(MAX_ROTATION_ROWS),
    /** Each pending follow-up re-sealed to the new key. */
    followUps: z.array(IntakeSealedRow).max(MAX_ROTATION_ROWS),
    /**
     * Pending rows that do not open with the current key (the server checks only their
     * structure, so anyone can send one that opens with nothing): deleted by the commit, since
     * nobody could ever read them. Audited one by one, like a discard.
     */
    unreadable: z
      .object({
        submissions: z.array(z.uuid()).max(MAX_ROTATION_ROWS),
        followUps: z.array(z.uuid()).max(MAX_ROTATION_ROWS),
      })
      .default({ submissions: [], followUps: [] }),
    /** The new private key sealed (`intake` grant at `fromVersion + 1`) to every coordinator. */
    grants: z.array(GrantInput).min(1).max(200),
  })
  .meta({ id: 'ProposeIntakeRotationRequest' });
export type ProposeIntakeRotationRequest = z.infer<typeof ProposeIntakeRotationRequest>;

export const ApproveIntakeRotationRequest = z
  .object({
    rotationId: z.uuid(),
    /** `signIntakeKey(newPublicKey, root)`: 64 bytes, unpadded base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{85}[AQgw]$/, 'must be a 64-byte signature'),
  })
  .meta({ id: 'ApproveIntakeRotationRequest' });
export type ApproveIntakeRotationRequest = z.infer<typeof ApproveIntakeRotationRequest>;

export const IntakeRotationResponse = z
  .object({ rotationId: z.uuid(), version: z.number().int().min(1) })
  .meta({ id: 'IntakeRotationResponse' });
export type IntakeRotationResponse = z.infer<typeof IntakeRotationResponse>;

// ---- a case's anonymous threads -------------------------------------------------------------

export const CaseThread = z
  .object({
    replyPublicKey: PublicKey,
    /** Oldest first; content lives in the case's intake entries (staff cannot reopen replies). */
    messages: z.array(
      z.object({ direction: z.enum(['from_person', 'from_staff']), sentOn: z.iso.date() }),
    ),
    /** The person's follow-ups still waiting for a coordinator to file them into the case. */
    pendingFollowUps: z.number().int(),
  })
  .meta({ id: 'CaseThread' });
export type CaseThread = z.infer<typeof CaseThread>;

export const CaseThreadsResponse = z
  .object({ threads: z.array(CaseThread) })
  .meta({ id: 'CaseThreadsResponse' });
export type CaseThreadsResponse = z.infer<typeof CaseThreadsResponse>;

export const CaseReplyRequest = z
  .object({
    /** The thread, named by the reply key the browser read from the case's intake entry. */
    replyPublicKey: PublicKey,
    /** `sealReply({v:1,text})` to that key. */
    envelope: base64url('envelope').max(96 * 1024),
    /** A copy of the text as an intake contact entry under the case key, for colleagues. */
    entry: NoteInput,
  })
  .meta({ id: 'CaseReplyRequest' });
export type CaseReplyRequest = z.infer<typeof CaseReplyRequest>;

export const CaseReplyResponse = z
  .object({ sentOn: z.iso.date(), entryId: z.uuid() })
  .meta({ id: 'CaseReplyResponse' });
export type CaseReplyResponse = z.infer<typeof CaseReplyResponse>;
