import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  PURGE_REQUEST_HOURS,
  type PurgeDone,
  type PurgeReason,
  type PurgeRequestSummary,
} from '@haven/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore } from '../cases/case-store';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { sql } from '../database/sql';
import { purgeCase } from './purge-case';
import { PURGE_STEPS } from './purge-steps';
import { readRetention } from './retention-store';

/**
 * The transaction-scoped advisory lock that makes one retention run at a time, whatever the
 * number of API replicas: a runner that does not get it at once skips its turn.
 */
export const PURGE_LOCK = 0x4a7e_9e11;
/** Each replica tries hourly; the first try comes a few minutes after start. */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_MS = 5 * 60 * 1000;

export type PurgeRun = { ran: false } | { ran: true; purged: Record<string, number> };

interface RequestRow {
  id: string;
  case_id: string;
  code: string;
  reason: PurgeReason;
  requested_by: string;
  username: string;
  expires_at: Date;
  expired: boolean;
}

/**
 * The retention job (docs/retention.md): an interval timer in every API process, serialised
 * by `pg_try_advisory_xact_lock` so replicas never run it twice at once; each run deletes what
 * PURGE_STEPS find due, in one transaction with its audit events. And purge-now: one
 * coordinator asks, a different one confirms within 24 hours, the same case purge runs.
 */
@Injectable()
export class PurgeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly store: CaseStore,
  ) {}

  onApplicationBootstrap(): void {
    // Tests run the job themselves (runOnce), at the moment they choose.
    if (this.config.nodeEnv === 'test') return;
    const tick = () => {
      this.runOnce().then(
        (run) => {
          if (run.ran) this.logger.log({ msg: 'retention run', purged: run.purged });
        },
        (error: unknown) =>
          this.logger.error({
            msg: 'retention run failed',
            error: error instanceof Error ? error.name : 'unknown',
          }),
      );
    };
    const first = setTimeout(tick, FIRST_RUN_MS);
    const every = setInterval(tick, PURGE_INTERVAL_MS);
    first.unref();
    every.unref();
    this.timers = [first, every];
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** One run of every purge step, or nothing if another runner holds the lock. */
  async runOnce(): Promise<PurgeRun> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await sql<{ ok: boolean }>(
        manager,
        'SELECT pg_try_advisory_xact_lock($1) AS ok',
        [PURGE_LOCK],
      );
      if (!locked[0]?.ok) return { ran: false };
      const { settings } = await readRetention(manager);
      const purged: Record<string, number> = {};
      for (const step of PURGE_STEPS) {
        purged[step.name] = await step.run({ manager, settings, audit: this.audit });
      }
      return { ran: true, purged };
    });
  }

  /** A coordinator holding a grant asks for the case to be purged now. */
  async request(caller: Caller, code: string, reason: PurgeReason): Promise<PurgeRequestSummary> {
    return this.store.withCase(caller, code, 'case.purge_request', async (m, row) => {
      if (caller.role !== 'coordinator') {
        throw new ForbiddenException('Only coordinators may ask for a case to be purged');
      }
      // A request that expired is replaced; a live one stands.
      await sql(m, 'DELETE FROM case_purge_request WHERE case_id = $1 AND expires_at <= now()', [
        row.id,
      ]);
      const created = await sql<{ id: string; expires_at: Date }>(
        m,
        `INSERT INTO case_purge_request (case_id, reason, requested_by, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4))
         ON CONFLICT (case_id) DO NOTHING
         RETURNING id, expires_at`,
        [row.id, reason, caller.userId, PURGE_REQUEST_HOURS],
      );
      const request = created[0];
      if (!request) {
        throw new ConflictException('A purge of this case is already waiting for confirmation');
      }
      await this.audit.record(m, {
        actor: { id: caller.userId, role: caller.role },
        action: 'case.purge_request',
        target: row.code,
        outcome: 'ok',
      });
      const me = await sql<{ username: string }>(m, 'SELECT username FROM app_user WHERE id = $1', [
        caller.userId,
      ]);
      return {
        id: request.id,
        caseCode: row.code,
        reason,
        requestedBy: caller.userId,
        requestedByName: me[0]?.username ?? '',
        mine: true,
        expiresAt: request.expires_at.toISOString(),
      };
    });
  }

  /** Unexpired requests, oldest deadline first. */
  async list(caller: Caller): Promise<PurgeRequestSummary[]> {
    const found = await this.requests(this.dataSource, null, false);
    return found.map((r) => ({
      id: r.id,
      caseCode: r.code,
      reason: r.reason,
      requestedBy: r.requested_by,
      requestedByName: r.username,
      mine: r.requested_by === caller.userId,
      expiresAt: r.expires_at.toISOString(),
    }));
  }

  /** A second coordinator confirms: the case is purged in the same transaction. */
  async confirm(caller: Caller, requestId: string): Promise<PurgeDone> {
    const actor = { id: caller.userId, role: caller.role };
    const refused = await this.dataSource.transaction(async (m) => {
      const request = (await this.requests(m, requestId, true))[0];
      if (!request) return { status: 404 as const, code: null };
      if (request.requested_by === caller.userId) {
        return { status: 'same' as const, code: request.code };
      }
      if (request.expired) {
        await sql(m, 'DELETE FROM case_purge_request WHERE id = $1', [request.id]);
        return { status: 'expired' as const, code: request.code };
      }
      await this.audit.record(m, {
        actor,
        action: 'case.purge_confirm',
        target: request.code,
        outcome: 'ok',
      });
      await purgeCase(m, this.audit, request.case_id, actor);
      return { status: 'done' as const, code: request.code };
    });
    if (refused.status === 'done') return { caseCode: refused.code };
    if (refused.status === 404) {
      throw new NotFoundException('This purge request does not exist or was already handled');
    }
    await this.audit.recordNow({
      actor,
      action: 'case.purge_confirm',
      target: refused.code,
      outcome: refused.status === 'same' ? 'denied:same_coordinator' : 'denied:expired',
    });
    throw new ConflictException(
      refused.status === 'same'
        ? 'A different coordinator must confirm this purge'
        : 'This purge request expired: ask again',
    );
  }

  private requests(
    db: DataSource | EntityManager,
    id: string | null,
    includeExpired: boolean,
  ): Promise<RequestRow[]> {
    return sql<RequestRow>(
      db,
      `SELECT r.id, r.case_id, c.code, r.reason, r.requested_by, u.username, r.expires_at,
              r.expires_at <= now() AS expired
         FROM case_purge_request r
         JOIN case_file c ON c.id = r.case_id
         JOIN app_user u ON u.id = r.requested_by
        WHERE ($1::uuid IS NULL OR r.id = $1::uuid)
          AND ($2 OR r.expires_at > now())
        ORDER BY r.expires_at, r.id
        ${id ? 'FOR UPDATE OF r, c' : ''}`,
      [id, includeExpired],
    );
  }
}
