import { z } from 'zod';
import { CasePriority, CaseStatus } from '../cases/cases';

/**
 * Aggregate reports for coordinators and auditors (docs/audit.md, "Reports"): counts from case
 * metadata only, no identities. Every count from 1 to 4 is shown as "<5", and further cells are
 * hidden where a published total would otherwise give a hidden one away.
 */

export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED = '<5';

/** A count, or "<5" when it is hidden. Zero is shown: it identifies nobody. */
export const ReportCount = z
  .union([z.number().int().min(0), z.literal(SUPPRESSED)])
  .meta({ id: 'ReportCount', description: 'A count, or "<5" where it is suppressed.' });
export type ReportCount = z.infer<typeof ReportCount>;

const day = z.iso.date();

export const ReportQuery = z
  .object({
    /** Cases opened on or after this day. */
    from: day.optional(),
    /** Cases opened on or before this day. */
    to: day.optional(),
  })
  .meta({ id: 'ReportQuery' });
export type ReportQuery = z.input<typeof ReportQuery>;

export const MedianDays = z
  .object({
    /** Null when fewer than five cases contribute (or none). */
    medianDays: z.number().nullable(),
    cases: ReportCount,
  })
  .meta({ id: 'MedianDays' });
export type MedianDays = z.infer<typeof MedianDays>;

export const ReportSummary = z
  .object({
    generatedOn: day,
    from: day.nullable(),
    to: day.nullable(),
    suppressionThreshold: z.literal(SUPPRESSION_THRESHOLD),
    cases: z.object({
      total: ReportCount,
      byStatus: z.array(z.object({ status: CaseStatus, count: ReportCount })),
      byPriority: z.array(z.object({ priority: CasePriority, count: ReportCount })),
      byStatusAndPriority: z.array(
        z.object({ status: CaseStatus, priority: CasePriority, count: ReportCount }),
      ),
    }),
    timings: z.object({
      /** Days from intake (or the case's opening, for cases not from intake) to the first logged contact. */
      intakeToFirstContact: MedianDays,
    }),
    /**
     * Referrals by type and outcome and the time to referral completion. Null until Haven
     * records referrals; `unavailable` says which sections were left out and why.
     */
    referrals: z
      .object({
        /** Referrals opened in the range. */
        total: ReportCount,
        /** `type` is the service, `outcome` the referral's current status (docs/referrals.md). */
        byTypeAndOutcome: z.array(
          z.object({ type: z.string(), outcome: z.string(), count: ReportCount }),
        ),
        byService: z.array(z.object({ service: z.string(), count: ReportCount })),
        byStatus: z.array(z.object({ status: z.string(), count: ReportCount })),
        /** Days from the proposal to completion, over completed referrals. */
        toCompletion: MedianDays,
      })
      .nullable(),
    unavailable: z.array(z.object({ section: z.string(), reason: z.string() })),
  })
  .meta({ id: 'ReportSummary' });
export type ReportSummary = z.infer<typeof ReportSummary>;
