import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AUDIT_EXPORT_FORMAT,
  AUDIT_EXPORT_MAX,
  AuditEventQuery,
  AuditExportQuery,
  UserActivityQuery,
  type AuditExport,
  type AuditEventPage,
  type AuditUser,
  type AuditUserList,
  type StaffRole,
  type UserActivity,
} from '@haven/contracts';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../access/caller';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { AuditAnomaliesService } from './audit-anomalies.service';
import {
  filterSql,
  LIST_COLUMNS,
  LIST_FROM,
  setFilters,
  toItem,
  type AuditListRow,
} from './audit-filter';
import { AuditIntegrityService } from './audit-integrity.service';
import { AuditLogKey } from './audit-log-key';
import { AuditService } from './audit.service';

interface UserRow {
  id: string;
  username: string;
  role: StaffRole;
  status: string;
}

const toUser = (r: UserRow): AuditUser => ({
  id: r.id,
  username: r.username,
  role: r.role,
  active: r.status === 'active',
});

/** Anomaly thresholds for the per-user view: the defaults of AnomalyQuery. */
const DEFAULT_THRESHOLDS = {
  bulkReads: 15,
  failedSignIns: 5,
  failedSignInsTotal: 20,
  offHoursStart: '00:00',
  offHoursEnd: '06:00',
};

/** What auditors read: the log (filtered, paged, exported) and each person's activity. */
@Injectable()
export class AuditReaderService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrity: AuditIntegrityService,
    private readonly anomalies: AuditAnomaliesService,
    private readonly audit: AuditService,
    private readonly logKey: AuditLogKey,
  ) {}

  async events(query: z.output<typeof AuditEventQuery>): Promise<AuditEventPage> {
    const { before, limit, ...filter } = query;
    const params: unknown[] = [];
    let where = filterSql(filter, params);
    if (before !== undefined) {
      params.push(before);
      where += ` AND e.seq < $${params.length}`;
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<AuditListRow[]>(
      `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM} WHERE ${where}
        ORDER BY e.seq DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit).map(toItem);
    return {
      events: page,
      nextBefore: rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
    };
  }

  /**
   * The filtered log with a signed checkpoint covering it: events up to the checkpoint's seq,
   * which no later append can change (READ COMMITTED suffices, and the append needs it). The
   * export is audited in the same transaction: no export without its event.
   */
  async export(caller: Caller, query: z.output<typeof AuditExportQuery>): Promise<AuditExport> {
    const { format, ...filter } = query;
    return this.dataSource.transaction(async (m) => {
      const checkpoint = await this.integrity.checkpointIn(m);
      const params: unknown[] = [];
      const where = filterSql(filter, params);
      params.push(checkpoint.seq, AUDIT_EXPORT_MAX + 1);
      const rows = await m.query<AuditListRow[]>(
        `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM}
          WHERE ${where} AND e.seq <= $${params.length - 1}
          ORDER BY e.seq LIMIT $${params.length}`,
        params,
      );
      if (rows.length > AUDIT_EXPORT_MAX) {
        throw new RequestValidationException([
          {
            path: 'query',
            message: `more than ${AUDIT_EXPORT_MAX} events match: narrow the filters`,
          },
        ]);
      }
      await this.audit.record(m, {
        actor: { id: caller.userId, role: caller.role },
        action: 'audit.export',
        target: format,
        outcome: 'ok',
      });
      return {
        format: AUDIT_EXPORT_FORMAT,
        exportedOn: new Date().toISOString().slice(0, 10),
        filters: setFilters(filter),
        checkpoint,
        logKeyFingerprint: this.logKey.fingerprint,
        count: rows.length,
        events: rows.map(toItem),
      };
    });
  }

  async users(): Promise<AuditUserList> {
    const rows = await this.dataSource.query<UserRow[]>(
      'SELECT id, username, role, status FROM app_user ORDER BY username',
    );
    return { users: rows.map(toUser) };
  }

  async activity(userId: string, query: z.output<typeof UserActivityQuery>): Promise<UserActivity> {
    const found = await this.dataSource.query<UserRow[]>(
      'SELECT id, username, role, status FROM app_user WHERE id = $1',
      [userId],
    );
    if (!found[0]) throw new NotFoundException();
    const { from, to } = AuditAnomaliesService.range(query.from, query.to, 30);
    const range = [userId, from, to];
    const [byAction, byDay, totals, flags] = await Promise.all([
      this.dataSource.query<{ action: string; ok: string; denied: string; failed: string }[]>(
        `SELECT action,
                count(*) FILTER (WHERE outcome = 'ok') AS ok,
                count(*) FILTER (WHERE split_part(outcome, ':', 1) = 'denied') AS denied,
                count(*) FILTER (WHERE split_part(outcome, ':', 1) = 'failed') AS failed
           FROM audit_event WHERE actor = $1 AND day BETWEEN $2::date AND $3::date
          GROUP BY action ORDER BY action`,
        range,
      ),
      this.dataSource.query<{ day: string; n: string }[]>(
        `SELECT day::text AS day, count(*) AS n FROM audit_event
          WHERE actor = $1 AND day BETWEEN $2::date AND $3::date GROUP BY day ORDER BY day`,
        range,
      ),
      this.dataSource.query<{ total: string; cases_read: string; failed: string }[]>(
        `SELECT
           (SELECT count(*) FROM audit_event
             WHERE actor = $1 AND day BETWEEN $2::date AND $3::date) AS total,
           (SELECT count(DISTINCT target) FROM audit_event
             WHERE actor = $1 AND day BETWEEN $2::date AND $3::date
               AND action = 'case.read' AND outcome = 'ok') AS cases_read,
           (SELECT count(*) FROM audit_event
             WHERE target = $1::text AND day BETWEEN $2::date AND $3::date
               AND action IN ('auth.login', 'auth.unlock') AND outcome <> 'ok') AS failed`,
        range,
      ),
      this.anomalies.flags({ ...DEFAULT_THRESHOLDS, actor: userId }, from, to),
    ]);
    return {
      user: toUser(found[0]),
      from,
      to,
      total: Number(totals[0].total),
      byAction: byAction.map((r) => ({
        action: r.action,
        ok: Number(r.ok),
        denied: Number(r.denied),
        failed: Number(r.failed),
      })),
      byDay: byDay.map((r) => ({ day: r.day, count: Number(r.n) })),
      casesRead: Number(totals[0].cases_read),
      failedSignIns: Number(totals[0].failed),
      flags,
    };
  }
}
