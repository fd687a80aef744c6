import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { appendAuditEvent, appendAuditEvents, type SqlFn } from './audit-append';
import type { AuditEventInput } from './audit-event';
import { AuditLogKey } from './audit-log-key';
import { trimAuditLog, type TrimResult } from './audit-trim';

/** TypeORM's `query` as the append's SqlFn. */
export function sqlOf(manager: EntityManager): SqlFn {
  return (sql, params) => manager.query(sql, params);
}

/**
 * Appends hash-chained events to `audit_event`. `record` writes inside the caller's
 * transaction, so the event commits or rolls back with the action it describes; `recordNow`
 * has its own transaction, for refusals whose action never had one. Every CHECKPOINT_EVERY
 * events the append also stores a checkpoint signed with the log key.
 *
 * The caller's transaction must be READ COMMITTED (TypeORM's default): under REPEATABLE READ
 * the head would be read from the transaction's first snapshot and a concurrent append would
 * make this one fail on a duplicate seq.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logKey: AuditLogKey,
  ) {}

  async record(manager: EntityManager, input: AuditEventInput): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must run inside a transaction');
    }
    await appendAuditEvent(sqlOf(manager), input, { signer: this.logKey });
  }

  /**
   * Several events in the caller's transaction, in order, under one acquisition of the log's
   * lock (one head read, one INSERT): for a transaction that stores several actions at once
   * (the intake's batched submissions). Nothing is appended for an empty list.
   */
  async recordMany(manager: EntityManager, inputs: readonly AuditEventInput[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.recordMany must run inside a transaction');
    }
    await appendAuditEvents(sqlOf(manager), inputs, { signer: this.logKey });
  }

  /**
   * Deletes events older than `days` (null: forever, nothing happens) up to the latest signed
   * checkpoint before them, in the caller's transaction, leaving one `audit.trim` event and the
   * anchor verification starts from (audit-trim.ts; the retention job's `auditLog` step).
   */
  async trim(manager: EntityManager, days: number | null): Promise<TrimResult> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.trim must run inside a transaction');
    }
    return trimAuditLog(sqlOf(manager), this.logKey, days);
  }

  async recordNow(input: AuditEventInput): Promise<void> {
    await this.dataSource.transaction((manager) => this.record(manager, input));
  }
}
