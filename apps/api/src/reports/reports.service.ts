import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  SUPPRESSION_THRESHOLD,
  type ReportQuery,
  type ReportSummary,
} from '@haven/contracts';
import type { DataSource } from 'typeorm';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { suppressCounts, suppressMedian, suppressOne, type SumGroup } from './suppression';

const key = {
  status: (s: string) => `status:${s}`,
  priority: (p: string) => `priority:${p}`,
  cell: (s: string, p: string) => `cell:${s}:${p}`,
};

/** Status × priority with both margins and the grand total: the sums a reader could redo. */
const GROUPS: SumGroup[] = [
  { total: 'total', parts: CASE_STATUSES.map(key.status) },
  { total: 'total', parts: CASE_PRIORITIES.map(key.priority) },
  ...CASE_STATUSES.map((s) => ({
    total: key.status(s),
    parts: CASE_PRIORITIES.map((p) => key.cell(s, p)),
  })),
  ...CASE_PRIORITIES.map((p) => ({
    total: key.priority(p),
    parts: CASE_STATUSES.map((s) => key.cell(s, p)),
  })),
];

/**
 * Aggregate reports from case metadata only (status, priority, days). No identities: no case
 * codes, no people; small counts are suppressed (suppression.ts). Referrals are not recorded by
 * Haven yet, so that section is left out and the answer says so.
 */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(query: ReportQuery): Promise<ReportSummary> {
    const from = query.from ?? null;
    const to = query.to ?? null;
    if (from && to && from > to) {
      throw new RequestValidationException([
        { path: 'query.from', message: 'must not be after `to`' },
      ]);
    }
    const range = `($1::date IS NULL OR c.created_on >= $1::date)
               AND ($2::date IS NULL OR c.created_on <= $2::date)`;
    const [cells, timing] = await Promise.all([
      this.dataSource.query<{ status: string; priority: string; n: string }[]>(
        `SELECT c.status, c.priority, count(*) AS n FROM case_file c WHERE ${range}
          GROUP BY c.status, c.priority`,
        [from, to],
      ),
      // Day-granular: from the intake thread's day (or the case's, when it did not come from
      // the intake form) to the day of the first logged contact.
      this.dataSource.query<{ median: number | null; n: string }[]>(
        `WITH timed AS (
           SELECT coalesce((SELECT min(t.created_on) FROM intake_thread t WHERE t.case_id = c.id),
                           c.created_on) AS started,
                  (SELECT min(e.created_on) FROM case_entry e
                    WHERE e.case_id = c.id AND e.kind = 'contact') AS first_contact
             FROM case_file c WHERE ${range})
         SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(first_contact - started, 0))
                  AS median,
                count(*) AS n
           FROM timed WHERE first_contact IS NOT NULL`,
        [from, to],
      ),
    ]);

    const counts = new Map<string, number>([['total', 0]]);
    for (const s of CASE_STATUSES) counts.set(key.status(s), 0);
    for (const p of CASE_PRIORITIES) counts.set(key.priority(p), 0);
    for (const s of CASE_STATUSES) for (const p of CASE_PRIORITIES) counts.set(key.cell(s, p), 0);
    const bump = (k: string, n: number) => counts.set(k, (counts.get(k) ?? 0) + n);
    for (const row of cells) {
      const n = Number(row.n);
      bump('total', n);
      bump(key.status(row.status), n);
      bump(key.priority(row.priority), n);
      bump(key.cell(row.status, row.priority), n);
    }
    const shown = suppressCounts(counts, GROUPS);
    const count = (k: string) => shown.get(k) ?? 0;
    const timedCases = Number(timing[0]?.n ?? 0);

    return {
      generatedOn: new Date().toISOString().slice(0, 10),
      from,
      to,
      suppressionThreshold: SUPPRESSION_THRESHOLD,
      cases: {
        total: count('total'),
        byStatus: CASE_STATUSES.map((status) => ({ status, count: count(key.status(status)) })),
        byPriority: CASE_PRIORITIES.map((priority) => ({
          priority,
          count: count(key.priority(priority)),
        })),
        byStatusAndPriority: CASE_STATUSES.flatMap((status) =>
          CASE_PRIORITIES.map((priority) => ({
            status,
            priority,
            count: count(key.cell(status, priority)),
          })),
        ),
      },
      timings: {
        intakeToFirstContact: {
          medianDays: suppressMedian(
            timing[0]?.median === null || timing[0]?.median === undefined
              ? null
              : Number(timing[0].median),
            timedCases,
          ),
          cases: suppressOne(timedCases),
        },
      },
      referrals: null,
      unavailable: [
        {
          section: 'referrals',
          reason: 'Haven does not record referrals yet: referrals by type and outcome are left out',
        },
        {
          section: 'referralCompletion',
          reason:
            'Haven does not record referrals yet: the time to referral completion is left out',
        },
      ],
    };
  }
}
