import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  REFERRAL_SERVICES,
  REFERRAL_STATUSES,
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

const rkey = {
  service: (s: string) => `service:${s}`,
  status: (s: string) => `rstatus:${s}`,
  cell: (svc: string, st: string) => `rcell:${svc}:${st}`,
};

/** Service × status of referrals, with both margins and the total. */
const REFERRAL_GROUPS: SumGroup[] = [
  { total: 'rtotal', parts: REFERRAL_SERVICES.map(rkey.service) },
  { total: 'rtotal', parts: REFERRAL_STATUSES.map(rkey.status) },
  ...REFERRAL_SERVICES.map((svc) => ({
    total: rkey.service(svc),
    parts: REFERRAL_STATUSES.map((st) => rkey.cell(svc, st)),
  })),
  ...REFERRAL_STATUSES.map((st) => ({
    total: rkey.status(st),
    parts: REFERRAL_SERVICES.map((svc) => rkey.cell(svc, st)),
  })),
];

/**
 * Aggregate reports from case metadata only (status, priority, days). No identities: no case
 * codes, no people; small counts are suppressed (suppression.ts). Referrals are counted by
 * service and status (referrals opened in the range), with the same suppression.
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
    const referralRange = `($1::date IS NULL OR r.created_on >= $1::date)
               AND ($2::date IS NULL OR r.created_on <= $2::date)`;
    const [cells, timing, referralCells, completion] = await Promise.all([
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
      this.dataSource.query<{ service: string; status: string; n: string }[]>(
        `SELECT r.service, r.status, count(*) AS n FROM referral r WHERE ${referralRange}
          GROUP BY r.service, r.status`,
        [from, to],
      ),
      this.dataSource.query<{ median: number | null; n: string }[]>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(t.day - r.created_on, 0))
                  AS median,
                count(*) AS n
           FROM referral r
           JOIN referral_transition t ON t.referral_id = r.id AND t.to_status = 'completed'
          WHERE ${referralRange}`,
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

    const rcounts = new Map<string, number>([['rtotal', 0]]);
    for (const svc of REFERRAL_SERVICES) rcounts.set(rkey.service(svc), 0);
    for (const st of REFERRAL_STATUSES) rcounts.set(rkey.status(st), 0);
    for (const svc of REFERRAL_SERVICES)
      for (const st of REFERRAL_STATUSES) rcounts.set(rkey.cell(svc, st), 0);
    const rbump = (k: string, n: number) => rcounts.set(k, (rcounts.get(k) ?? 0) + n);
    for (const row of referralCells) {
      const n = Number(row.n);
      rbump('rtotal', n);
      rbump(rkey.service(row.service), n);
      rbump(rkey.status(row.status), n);
      rbump(rkey.cell(row.service, row.status), n);
    }
    const rshown = suppressCounts(rcounts, REFERRAL_GROUPS);
    const rcount = (k: string) => rshown.get(k) ?? 0;
    const completed = Number(completion[0]?.n ?? 0);

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
      referrals: {
        total: rcount('rtotal'),
        byTypeAndOutcome: REFERRAL_SERVICES.flatMap((svc) =>
          REFERRAL_STATUSES.map((st) => ({
            type: svc,
            outcome: st,
            count: rcount(rkey.cell(svc, st)),
          })),
        ),
        byService: REFERRAL_SERVICES.map((service) => ({
          service,
          count: rcount(rkey.service(service)),
        })),
        byStatus: REFERRAL_STATUSES.map((status) => ({
          status,
          count: rcount(rkey.status(status)),
        })),
        toCompletion: {
          medianDays: suppressMedian(
            completion[0]?.median === null || completion[0]?.median === undefined
              ? null
              : Number(completion[0].median),
            completed,
          ),
          cases: suppressOne(completed),
        },
      },
      unavailable: [],
    };
  }
}
