import { z } from 'zod';
import { StaffRole } from '../access/roles';
import { base64UrlBytes } from '../auth/encoding';

/**
 * The auditors' API (docs/audit.md). Everything here is log metadata: sequence numbers, days,
 * minutes, staff ids and usernames, actions, target codes, outcomes and hashes. No response of
 * these routes carries ciphertext, grants or keys other than the log's own public key: a schema
 * test (audit-schema.spec.ts) fails if a field of that kind appears.
 */

const day = z.iso.date();
/** `HH:MM` (UTC). */
export const AUDIT_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const time = z.string().regex(AUDIT_TIME_PATTERN, { error: 'must be HH:MM (UTC)' });

/** A 32-byte hash as 64 lower-case hex digits (chain heads and event hashes). */
export const AuditHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' })
  .meta({ id: 'AuditHash', description: 'BLAKE2b-256 hash, lower-case hex.' });

const Seq = z.number().int().min(0);

/** `ok`, `denied:<reason>` or `failed:<reason>`: filters name the kind before the colon. */
export const AUDIT_OUTCOME_KINDS = ['ok', 'denied', 'failed'] as const;
export const AuditOutcomeKind = z.enum(AUDIT_OUTCOME_KINDS);
export type AuditOutcomeKind = z.infer<typeof AuditOutcomeKind>;

/** An action (`case.read`) or an area (`case`, meaning every `case.*` action). */
export const AUDIT_ACTION_FILTER = /^[a-z_]+(\.[a-z_]+)*$/;

/** Who acted, as the auditor sees them: the account id, its username and role at that time. */
export const AuditActor = z
  .object({
    id: z.uuid(),
    /** Null when the account no longer exists. */
    username: z.string().nullable(),
    /** The role recorded with the event (the role the person had when acting). */
    role: StaffRole.nullable(),
  })
  .meta({ id: 'AuditActor' });
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditEventItem = z
  .object({
    seq: z.number().int().min(1),
    day,
    /** Minute of the event (UTC). Null for events of anonymous people (intake), which keep the day only. */
    time: time.nullable(),
    /** Null for anonymous actions (intake) and failed sign-ins. */
    actor: AuditActor.nullable(),
    action: z.string(),
    /** A case code, a user id, a format or a route; never content. */
    target: z.string().nullable(),
    outcome: z.string(),
    prevHash: AuditHash,
    hash: AuditHash,
  })
  .meta({ id: 'AuditEventItem' });
export type AuditEventItem = z.infer<typeof AuditEventItem>;

export const AUDIT_PAGE_MAX = 200;

/** The filters of the log table, its exports and the per-user view. */
export const AuditFilter = z.object({
  actor: z.uuid().optional(),
  action: z
    .string()
    .max(64)
    .regex(AUDIT_ACTION_FILTER, { error: 'must be an action (case.read) or an area (case)' })
    .optional(),
  target: z.string().min(1).max(100).optional(),
  outcome: AuditOutcomeKind.optional(),
  from: day.optional(),
  to: day.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditEventQuery = AuditFilter.extend({
  /** Keyset pagination: events with a smaller sequence number (`nextBefore` of the last page). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
}).meta({ id: 'AuditEventQuery' });
export type AuditEventQuery = z.input<typeof AuditEventQuery>;

export const AuditEventPage = z
  .object({
    events: z.array(AuditEventItem),
    /** Pass as `before` for the next (older) page; null on the last page. */
    nextBefore: z.number().int().nullable(),
  })
  .meta({ id: 'AuditEventPage' });
export type AuditEventPage = z.infer<typeof AuditEventPage>;

// ---- the log key and checkpoints ----------------------------------------------------------------

export const AuditLogKeyResponse = z
  .object({
    algorithm: z.literal('Ed25519'),
    publicKey: base64UrlBytes(32, 'Ed25519 public key of the audit log'),
    /** Six groups of five digits, to compare out of band (fingerprint(publicKey, publicKey)). */
    fingerprint: z.string(),
  })
  .meta({ id: 'AuditLogKeyResponse' });
export type AuditLogKeyResponse = z.infer<typeof AuditLogKeyResponse>;

/** The chain head at `seq`, signed with the log key (signAuditCheckpoint in @haven/crypto). */
export const AuditCheckpoint = z
  .object({
    seq: Seq,
    head: AuditHash,
    signature: base64UrlBytes(64, 'Ed25519 signature over the checkpoint'),
    publicKey: base64UrlBytes(32, 'the log key that signed it'),
    createdOn: day,
  })
  .meta({ id: 'AuditCheckpoint' });
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

/**
 * The checkpoints an auditor keeps outside Haven: the dashboard downloads and reloads this
 * file, and `npm run audit:verify -- --checkpoints <file>` checks a database against it.
 */
export const AUDIT_CHECKPOINT_BOOK_FORMAT = 'haven-audit-checkpoints/v1';
export const AuditCheckpointBook = z
  .object({
    format: z.literal(AUDIT_CHECKPOINT_BOOK_FORMAT),
    savedOn: day,
    logKey: z.object({
      publicKey: base64UrlBytes(32, 'Ed25519 public key of the audit log'),
      fingerprint: z.string(),
    }),
    checkpoints: z.array(AuditCheckpoint).max(100_000),
  })
  .meta({ id: 'AuditCheckpointBook' });
export type AuditCheckpointBook = z.infer<typeof AuditCheckpointBook>;

export const VerifyAuditRequest = z
  .object({
    /** Verify from a checkpoint the auditor kept: its head must still be at its seq. */
    from: z.object({ seq: Seq, head: AuditHash }).optional(),
  })
  .meta({ id: 'VerifyAuditRequest' });
export type VerifyAuditRequest = z.infer<typeof VerifyAuditRequest>;

export const AUDIT_BREAK_REASONS = [
  'prev_hash',
  'hash',
  'malformed',
  'gap',
  /** The checkpoint's seq is beyond the current head: events were removed (a rollback). */
  'rollback',
  /** The event at the checkpoint's seq has another hash: the log was rewritten (a fork). */
  'fork',
  /**
   * The trim anchor the log starts from is not signed by the log key, or the `audit.trim`
   * event naming it is gone or names another seq: the anchor was forged or moved.
   */
  'anchor',
] as const;
export const AuditBreakReason = z.enum(AUDIT_BREAK_REASONS);
export type AuditBreakReason = z.infer<typeof AuditBreakReason>;

export const VerifyAuditResponse = z
  .object({
    ok: z.boolean(),
    /** Where verification started (0 = the genesis). */
    fromSeq: Seq,
    /** Events recomputed. */
    count: z.number().int().min(0),
    /** The verified head (ok only). */
    headSeq: Seq.nullable(),
    head: AuditHash.nullable(),
    /** The first broken link (not ok only). */
    brokenAtSeq: z.number().int().nullable(),
    reason: AuditBreakReason.nullable(),
    /** The verified head, signed (ok only). */
    checkpoint: AuditCheckpoint.nullable(),
    verifiedOn: day,
    /**
     * Retention trimmed every event up to this seq (the log starts at the next one, verified
     * from the signed anchor); null when nothing was ever trimmed.
     */
    trimmedThroughSeq: Seq.nullable(),
    /** The day of that trim. */
    trimmedOn: day.nullable(),
  })
  .meta({ id: 'VerifyAuditResponse' });
export type VerifyAuditResponse = z.infer<typeof VerifyAuditResponse>;

// ---- export -------------------------------------------------------------------------------------

export const AUDIT_EXPORT_MAX = 50_000;
export const AUDIT_EXPORT_FORMAT = 'haven-audit-export/v1';

export const AuditExportQuery = AuditFilter.extend({
  format: z.enum(['json', 'csv']).default('json'),
}).meta({ id: 'AuditExportQuery' });
export type AuditExportQuery = z.input<typeof AuditExportQuery>;

export const AuditExport = z
  .object({
    format: z.literal(AUDIT_EXPORT_FORMAT),
    exportedOn: day,
    filters: AuditFilter,
    /** Signed head that covers every exported event (each has seq ≤ checkpoint.seq). */
    checkpoint: AuditCheckpoint,
    logKeyFingerprint: z.string(),
    count: z.number().int().min(0),
    events: z.array(AuditEventItem),
  })
  .meta({ id: 'AuditExport' });
export type AuditExport = z.infer<typeof AuditExport>;

/** `format=csv` answers text/csv: `#` lines (format, checkpoint, filters), then a header row. */
export const AuditExportCsv = z
  .string()
  .meta({ id: 'AuditExportCsv', description: 'text/csv; see docs/audit.md for the layout.' });

export const AuditExportResponse = z.union([AuditExport, AuditExportCsv]);

// ---- people and anomalies ------------------------------------------------------------------------

export const AuditUser = z
  .object({
    id: z.uuid(),
    username: z.string(),
    role: StaffRole,
    active: z.boolean(),
  })
  .meta({ id: 'AuditUser' });
export type AuditUser = z.infer<typeof AuditUser>;

export const AuditUserList = z.object({ users: z.array(AuditUser) }).meta({ id: 'AuditUserList' });
export type AuditUserList = z.infer<typeof AuditUserList>;

export const AuditUserParams = z.object({ userId: z.uuid() });

export const ANOMALY_KINDS = [
  'bulk_reads',
  'unassigned_read',
  'off_hours',
  'failed_sign_ins',
] as const;
export const AnomalyKind = z.enum(ANOMALY_KINDS);
export type AnomalyKind = z.infer<typeof AnomalyKind>;

/** At most this many days per anomaly scan (each scan reads the log of the whole range). */
export const ANOMALY_MAX_DAYS = 31;

export const AnomalyQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    actor: z.uuid().optional(),
    /** Distinct cases read by one person within an hour. */
    bulkReads: z.coerce.number().int().min(2).max(10_000).default(15),
    /** Failed sign-ins of one account within 15 minutes. */
    failedSignIns: z.coerce.number().int().min(2).max(10_000).default(5),
    /** Failed sign-ins of all accounts together within 15 minutes. */
    failedSignInsTotal: z.coerce.number().int().min(2).max(100_000).default(20),
    /** Unusual hours, UTC, [start, end); may wrap midnight. */
    offHoursStart: time.default('00:00'),
    offHoursEnd: time.default('06:00'),
  })
  .meta({ id: 'AnomalyQuery' });
export type AnomalyQuery = z.input<typeof AnomalyQuery>;

export const AnomalyFlag = z
  .object({
    kind: AnomalyKind,
    /** The person concerned (for failed sign-ins: the account tried); null for totals. */
    actor: AuditActor.nullable(),
    /** unassigned_read: the case code; otherwise null. */
    target: z.string().nullable(),
    /**
     * unassigned_read: `not_assigned` (read while neither assignee nor supervisor now) or
     * `refused` (a case route answered 404). failed_sign_ins: `account` or `all_accounts`.
     */
    detail: z.string().nullable(),
    day,
    from: time.nullable(),
    to: time.nullable(),
    count: z.number().int().min(1),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
  })
  .meta({ id: 'AnomalyFlag' });
export type AnomalyFlag = z.infer<typeof AnomalyFlag>;

export const AnomalyReport = z
  .object({
    from: day,
    to: day,
    thresholds: z.object({
      bulkReads: z.number().int(),
      failedSignIns: z.number().int(),
      failedSignInsTotal: z.number().int(),
      offHoursStart: time,
      offHoursEnd: time,
    }),
    flags: z.array(AnomalyFlag),
  })
  .meta({ id: 'AnomalyReport' });
export type AnomalyReport = z.infer<typeof AnomalyReport>;

export const UserActivityQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .meta({ id: 'UserActivityQuery' });

export const UserActivity = z
  .object({
    user: AuditUser,
    from: day,
    to: day,
    total: z.number().int(),
    byAction: z.array(
      z.object({
        action: z.string(),
        ok: z.number().int(),
        denied: z.number().int(),
        failed: z.number().int(),
      }),
    ),
    byDay: z.array(z.object({ day, count: z.number().int() })),
    /** Distinct cases read in the range. */
    casesRead: z.number().int(),
    /** Failed sign-ins against this account in the range (the person may not have made them). */
    failedSignIns: z.number().int(),
    flags: z.array(AnomalyFlag),
  })
  .meta({ id: 'UserActivity' });
export type UserActivity = z.infer<typeof UserActivity>;
