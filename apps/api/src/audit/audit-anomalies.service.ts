import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ANOMALY_MAX_DAYS,
  AnomalyQuery,
  type AnomalyFlag,
  type AnomalyReport,
  type AuditActor,
  type StaffRole,
} from '@haven/contracts';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { checkRange } from './audit-filter';
import { daysBefore, daysBetween, windowEpisodes, type TimedEvent } from './audit-windows';

export type AnomalyOptions = z.output<typeof AnomalyQuery>;

/** Actions that are a sign-in attempt; any outcome but `ok` is a failure. */
const SIGN_IN_ACTIONS = ['auth.login', 'auth.unlock'];
const READ_WINDOW_MINUTES = 60;
const SIGN_IN_WINDOW_MINUTES = 15;

interface ScanRow {
  seq: string;
  day: string;
  time_utc: string;
  key: string | null;
  target: string | null;
}

interface GroupRow {
  actor: string;
  target: string | null;
  detail: string | null;
  day: string;
  first: string | null;
  last: string | null;
  n: string;
  first_seq: string;
  last_seq: string;
}

/**
 * Anomaly flags, computed from the audit log alone (plus the current assignee and supervisor
 * of a case, for "reads outside one's assignments"). Four kinds (docs/audit.md, "Anomalies"):
 *
 * - bulk_reads: one person read at least `bulkReads` distinct cases within an hour;
 * - unassigned_read: a case read by someone who is neither its assignee nor its supervisor
 *   now (`not_assigned`), or a case route that refused someone (`refused`);
 * - off_hours: staff activity in [offHoursStart, offHoursEnd) UTC, per person and day;
 * - failed_sign_ins: at least `failedSignIns` failures for one account, or
 *   `failedSignInsTotal` for all accounts together, within 15 minutes.
 *
 * Windows slide (any 60 or 15 minutes, not clock hours); overlapping windows merge into one
 * flag with the highest count any of them reached.
 */
@Injectable()
export class AuditAnomaliesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The range asked for, or the last `defaultDays`; at most ANOMALY_MAX_DAYS. */
  static range(from: string | undefined, to: string | undefined, defaultDays: number) {
    checkRange(from, to);
    const end = to ?? new Date().toISOString().slice(0, 10);
    const start = from ?? daysBefore(end, defaultDays);
    if (daysBetween(start, end) > ANOMALY_MAX_DAYS) {
      throw new RequestValidationException([
        { path: 'query.from', message: `the range may span at most ${ANOMALY_MAX_DAYS} days` },
      ]);
    }
    return { from: start, to: end };
  }

  async report(query: AnomalyOptions): Promise<AnomalyReport> {
    const { from, to } = AuditAnomaliesService.range(query.from, query.to, 7);
    return {
      from,
      to,
      thresholds: {
        bulkReads: query.bulkReads,
        failedSignIns: query.failedSignIns,
        failedSignInsTotal: query.failedSignInsTotal,
        offHoursStart: query.offHoursStart,
        offHoursEnd: query.offHoursEnd,
      },
      flags: await this.flags(query, from, to),
    };
  }

  /** Every flag in [from, to], only those concerning `query.actor` when given. */
  async flags(query: AnomalyOptions, from: string, to: string): Promise<AnomalyFlag[]> {
    const actor = query.actor ?? null;
    const [bulk, unassigned, offHours, signIns] = await Promise.all([
      this.bulkReads(from, to, actor, query.bulkReads),
      this.unassignedReads(from, to, actor),
      this.offHours(from, to, actor, query.offHoursStart, query.offHoursEnd),
      this.failedSignIns(from, to, actor, query.failedSignIns, query.failedSignInsTotal),
    ]);
    const all = [...bulk, ...unassigned, ...offHours, ...signIns];
    const people = await this.people(all.map((f) => f.actorId).filter((id) => id !== null));
    return all
      .map(({ actorId, ...flag }) => ({
        ...flag,
        actor: actorId
          ? (people.get(actorId) ?? { id: actorId, username: null, role: null })
          : null,
      }))
      .sort(
        (a, b) =>
          b.day.localeCompare(a.day) ||
          a.kind.localeCompare(b.kind) ||
          (a.from ?? '').localeCompare(b.from ?? '') ||
          a.firstSeq - b.firstSeq,
      );
  }

  private async people(ids: string[]): Promise<Map<string, AuditActor>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; username: string; role: StaffRole }[]>(
      'SELECT id, username, role FROM app_user WHERE id = ANY($1::uuid[])',
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, role: r.role }]));
  }

  private async scan(sql: string, params: unknown[]): Promise<Map<string | null, TimedEvent[]>> {
    const rows = await this.dataSource.query<ScanRow[]>(sql, params);
    const byKey = new Map<string | null, TimedEvent[]>();
    for (const r of rows) {
      const list = byKey.get(r.key) ?? [];
      list.push({ seq: Number(r.seq), day: r.day, time: r.time_utc, target: r.target });
      byKey.set(r.key, list);
    }
    return byKey;
  }

  private async bulkReads(from: string, to: string, actor: string | null, threshold: number) {
    const reads = await this.scan(
      `SELECT seq, day::text AS day, time_utc, actor::text AS key, target
         FROM audit_event
        WHERE action = 'case.read' AND outcome = 'ok' AND actor IS NOT NULL
          AND time_utc IS NOT NULL AND day BETWEEN $1::date AND $2::date
          AND ($3::uuid IS NULL OR actor = $3::uuid)`,
      [from, to, actor],
    );
    const flags: Flagged[] = [];
    for (const [person, events] of reads) {
      for (const ep of windowEpisodes(events, READ_WINDOW_MINUTES, threshold, true)) {
        flags.push({ kind: 'bulk_reads', actorId: person, target: null, detail: null, ...ep });
      }
    }
    return flags;
  }

  private async failedSignIns(
    from: string,
    to: string,
    actor: string | null,
    perAccount: number,
    total: number,
  ) {
    const failures = await this.scan(
      `SELECT seq, day::text AS day, time_utc, target AS key, NULL::text AS target
         FROM audit_event
        WHERE action = ANY($3::text[]) AND outcome <> 'ok'
          AND time_utc IS NOT NULL AND day BETWEEN $1::date AND $2::date`,
      [from, to, SIGN_IN_ACTIONS],
    );
    const flags: Flagged[] = [];
    for (const [account, events] of failures) {
      // A failure names the account tried (its id) as target; unknown usernames have none.
      if (account === null || !isUuid(account) || (actor && account !== actor)) continue;
      for (const ep of windowEpisodes(events, SIGN_IN_WINDOW_MINUTES, perAccount, false)) {
        flags.push({
          kind: 'failed_sign_ins',
          actorId: account,
          target: account,
          detail: 'account',
          ...ep,
        });
      }
    }
    if (!actor) {
      const everyone = [...failures.values()].flat();
      for (const ep of windowEpisodes(everyone, SIGN_IN_WINDOW_MINUTES, total, false)) {
        flags.push({
          kind: 'failed_sign_ins',
          actorId: null,
          target: null,
          detail: 'all_accounts',
          ...ep,
        });
      }
    }
    return flags;
  }

  private async grouped(kind: AnomalyFlag['kind'], sql: string, params: unknown[]) {
    const rows = await this.dataSource.query<GroupRow[]>(sql, params);
    return rows.map((r): Flagged => ({
      kind,
      actorId: r.actor,
      target: r.target,
      detail: r.detail,
      day: r.day,
      from: r.first,
      to: r.last,
      count: Number(r.n),
      firstSeq: Number(r.first_seq),
      lastSeq: Number(r.last_seq),
    }));
  }

  /**
   * Reads by someone who is neither the case's assignee nor its supervisor (judged by the case
   * as it is now: the log names the case of a share or an assignment, not the person who got
   * it), and case routes that refused someone. Cases since deleted are not judged.
   */
  private unassignedReads(from: string, to: string, actor: string | null) {
    return this.grouped(
      'unassigned_read',
      `SELECT e.actor, e.target, e.day::text AS day,
              CASE WHEN e.outcome = 'ok' THEN 'not_assigned' ELSE 'refused' END AS detail,
              min(e.time_utc) AS first, max(e.time_utc) AS last, count(*) AS n,
              min(e.seq) AS first_seq, max(e.seq) AS last_seq
         FROM audit_event e
         LEFT JOIN case_file c ON c.code = e.target
        WHERE e.day BETWEEN $1::date AND $2::date AND e.actor IS NOT NULL
          AND ($3::uuid IS NULL OR e.actor = $3::uuid)
          AND ((e.action = 'case.read' AND e.outcome = 'ok' AND c.id IS NOT NULL
                AND e.actor IS DISTINCT FROM c.assignee_id AND e.actor <> c.supervisor_id)
            OR (left(e.action, 5) = 'case.' AND e.outcome = 'denied:not_found'))
        GROUP BY e.actor, e.target, e.day, 4`,
      [from, to, actor],
    );
  }

  private offHours(from: string, to: string, actor: string | null, start: string, end: string) {
    if (start === end) return Promise.resolve([]);
    const inWindow =
      start < end
        ? 'e.time_utc >= $4 AND e.time_utc < $5'
        : '(e.time_utc >= $4 OR e.time_utc < $5)';
    return this.grouped(
      'off_hours',
      `SELECT e.actor, NULL::text AS target, NULL::text AS detail, e.day::text AS day,
              min(e.time_utc) AS first, max(e.time_utc) AS last, count(*) AS n,
              min(e.seq) AS first_seq, max(e.seq) AS last_seq
         FROM audit_event e
        WHERE e.day BETWEEN $1::date AND $2::date AND e.actor IS NOT NULL
          AND e.time_utc IS NOT NULL AND ($3::uuid IS NULL OR e.actor = $3::uuid) AND ${inWindow}
        GROUP BY e.actor, e.day`,
      [from, to, actor, start, end],
    );
  }
}

type Flagged = Omit<AnomalyFlag, 'actor'> & { actorId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return UUID.test(value);
}
