import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LockdownStatus, RetentionResponse, RetentionSettings } from '@haven/contracts';
import type { DataSource } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { sql } from '../database/sql';
import { lockdownSince, readRetention } from './retention-store';

const TODAY = `(now() AT TIME ZONE 'UTC')::date`;

/** Retention settings and emergency lockdown: admins only (docs/retention.md). */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async settings(_caller: Caller): Promise<RetentionResponse> {
    return readRetention(this.dataSource);
  }

  async update(caller: Caller, next: RetentionSettings): Promise<RetentionResponse> {
    return this.dataSource.transaction(async (m) => {
      const before = await readRetention(m, { lock: true });
      await sql(
        m,
        `UPDATE retention_settings
            SET closed_case_days = $1, triaged_intake_days = $2, untriaged_intake_days = $3,
                expired_packet_days = $4, audit_log_days = $5, updated_on = ${TODAY}
          WHERE id`,
        [
          next.closedCaseDays,
          next.triagedIntakeDays,
          next.untriagedIntakeDays,
          next.expiredPacketDays,
          next.auditLogDays,
        ],
      );
      await this.audit.record(m, {
        actor: { id: caller.userId, role: caller.role },
        action: 'retention.update',
        // A change to how long the log itself is kept is named, so auditors can find it.
        target:
          before.settings.auditLogDays === next.auditLogDays
            ? null
            : `audit_log_days:${next.auditLogDays ?? 'forever'}`,
        outcome: 'ok',
      });
      return readRetention(m);
    });
  }

  async lockdown(_caller: Caller): Promise<LockdownStatus> {
    const since = await lockdownSince(this.dataSource);
    return { active: since !== null, since };
  }

  /**
   * Enters lockdown: every session but the caller's ends in the same transaction, other
   * admins' included (a seized laptop may be an admin's); from now on only admins can sign in.
   */
  async enterLockdown(caller: Caller): Promise<LockdownStatus> {
    return this.dataSource.transaction(async (m) => {
      const entered = await sql<{ since_on: string }>(
        m,
        `UPDATE lockdown_state SET since_on = ${TODAY}
          WHERE id AND since_on IS NULL RETURNING since_on::text AS since_on`,
      );
      if (!entered[0]) throw new ConflictException('Haven is already in lockdown');
      await sql(m, 'DELETE FROM session WHERE id <> $1', [caller.sessionId]);
      await this.audit.record(m, {
        actor: { id: caller.userId, role: caller.role },
        action: 'lockdown.enter',
        target: null,
        outcome: 'ok',
      });
      return { active: true, since: entered[0].since_on };
    });
  }

  async liftLockdown(caller: Caller): Promise<LockdownStatus> {
    return this.dataSource.transaction(async (m) => {
      const lifted = await sql<{ id: boolean }>(
        m,
        'UPDATE lockdown_state SET since_on = NULL WHERE id AND since_on IS NOT NULL RETURNING id',
      );
      if (!lifted[0]) throw new ConflictException('Haven is not in lockdown');
      await this.audit.record(m, {
        actor: { id: caller.userId, role: caller.role },
        action: 'lockdown.lift',
        target: null,
        outcome: 'ok',
      });
      return { active: false, since: null };
    });
  }
}
