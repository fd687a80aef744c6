import { z } from 'zod';
import { CaseCode } from '../cases/case-code';

/**
 * Retention, purge and emergency lockdown (docs/retention.md). Settings are whole days; every
 * bound here is also a CHECK in the database, so no other writer can store nonsense either.
 */

export const RETENTION_LIMITS = {
  closedCaseDays: { min: 0, max: 3650, default: 90 },
  triagedIntakeDays: { min: 0, max: 0, default: 0 },
  untriagedIntakeDays: { min: 1, max: 365, default: 30 },
  expiredPacketDays: { min: 0, max: 365, default: 0 },
} as const;

const days = (name: keyof typeof RETENTION_LIMITS, what: string) => {
  const { min, max } = RETENTION_LIMITS[name];
  return z
    .number({ error: `${what}: enter a whole number of days` })
    .int({ error: `${what}: enter a whole number of days` })
    .min(min, { error: `${what}: at least ${min} days` })
    .max(max, {
      error: max === 0 ? `${what}: only 0 is supported` : `${what}: at most ${max} days`,
    });
};

/**
 * How long audit events are kept: null = forever (the default), else 365–3650 days. Old events
 * name cases by code and say who touched what: evidence an NGO's auditors and lawyers may need
 * for years, and also a map of who worked on which case (docs/retention.md).
 */
export const AUDIT_LOG_LIMITS = { min: 365, max: 3650, default: null } as const;

export const AuditLogDays = z
  .number({ error: 'auditLogDays: enter a whole number of days, or null to keep it forever' })
  .int({ error: 'auditLogDays: enter a whole number of days, or null to keep it forever' })
  .min(AUDIT_LOG_LIMITS.min, {
    error: `auditLogDays: at least ${AUDIT_LOG_LIMITS.min} days (or null to keep it forever)`,
  })
  .max(AUDIT_LOG_LIMITS.max, { error: `auditLogDays: at most ${AUDIT_LOG_LIMITS.max} days` })
  .nullable();

export const RetentionSettings = z
  .object({
    /** Days after a case is closed before it is crypto-shredded. */
    closedCaseDays: days('closedCaseDays', 'closedCaseDays'),
    /** Days a triaged submission is kept: 0, triage deletes it on the spot. */
    triagedIntakeDays: days('triagedIntakeDays', 'triagedIntakeDays'),
    /** Days an untriaged submission waits before it is deleted unread. */
    untriagedIntakeDays: days('untriagedIntakeDays', 'untriagedIntakeDays'),
    /** Days an expired referral packet is kept after it expires. */
    expiredPacketDays: days('expiredPacketDays', 'expiredPacketDays'),
    /** Days audit events are kept (trimmed at signed checkpoints); null: forever. */
    auditLogDays: AuditLogDays,
  })
  .strict()
  .meta({ id: 'RetentionSettings' });
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const RetentionResponse = z
  .object({
    settings: RetentionSettings,
    /** Day of the last change, null while the defaults stand. */
    updatedOn: z.iso.date().nullable(),
  })
  .meta({ id: 'RetentionResponse' });
export type RetentionResponse = z.infer<typeof RetentionResponse>;

/**
 * Why a case is purged ahead of its retention. A category only, in clear: free text would be
 * readable only by holders of the case key, which the confirming coordinator need not have,
 * and it would be shredded with the case a moment later.
 */
export const PURGE_REASONS = [
  'consent_withdrawn',
  'safety_risk',
  'created_in_error',
  'duplicate',
  'legal_order',
] as const;
export const PurgeReason = z.enum(PURGE_REASONS, {
  error: `reason: one of ${PURGE_REASONS.join(', ')}`,
});
export type PurgeReason = z.infer<typeof PurgeReason>;

export const PURGE_REQUEST_HOURS = 24;

export const PurgeRequestBody = z
  .object({ reason: PurgeReason })
  .strict()
  .meta({ id: 'PurgeRequestBody' });
export type PurgeRequestBody = z.infer<typeof PurgeRequestBody>;

export const PurgeRequestSummary = z
  .object({
    id: z.uuid(),
    caseCode: CaseCode,
    reason: PurgeReason,
    requestedBy: z.uuid(),
    requestedByName: z.string(),
    /** Whether the caller asked for it (then someone else must confirm). */
    mine: z.boolean(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'PurgeRequestSummary' });
export type PurgeRequestSummary = z.infer<typeof PurgeRequestSummary>;

export const PurgeRequestListResponse = z
  .object({ requests: z.array(PurgeRequestSummary) })
  .meta({ id: 'PurgeRequestListResponse' });
export type PurgeRequestListResponse = z.infer<typeof PurgeRequestListResponse>;

export const PurgeRequestParams = z.object({ requestId: z.uuid() });

export const PurgeDone = z.object({ caseCode: CaseCode }).meta({ id: 'PurgeDone' });
export type PurgeDone = z.infer<typeof PurgeDone>;

/** What an admin types to enter lockdown: a deliberate act, not a stray click. */
export const LOCKDOWN_CONFIRMATION = 'LOCKDOWN';

export const EnterLockdownBody = z
  .object({
    confirm: z.literal(LOCKDOWN_CONFIRMATION, {
      error: `confirm: type ${LOCKDOWN_CONFIRMATION} to enter lockdown`,
    }),
  })
  .strict()
  .meta({ id: 'EnterLockdownBody' });
export type EnterLockdownBody = z.infer<typeof EnterLockdownBody>;

export const LockdownStatus = z
  .object({
    active: z.boolean(),
    /** Day lockdown began, null when not in lockdown. */
    since: z.iso.date().nullable(),
  })
  .meta({ id: 'LockdownStatus' });
export type LockdownStatus = z.infer<typeof LockdownStatus>;
