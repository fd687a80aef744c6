import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { auditEventHash, GENESIS_HASH } from '@haven/crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AUDIT_ACTION,
  AUDIT_OUTCOME,
  hashedAuditEvent,
  type AuditEventInput,
  type AuditEventRecord,
} from './audit-event';

/** Any constant: every append takes this transaction-scoped lock, so the chain stays linear. */
const AUDIT_LOCK_KEY = 0x68766e41; // 'hvnA'

/**
 * Appends hash-chained events to `audit_event`. `record` writes inside the caller's
 * transaction, so the event commits or rolls back with the action it describes; `recordNow`
 * has its own transaction, for refusals whose action never had one.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, input: AuditEventInput): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must run inside a transaction');
    }
    if (!AUDIT_ACTION.test(input.action)) throw new Error(`bad audit action ${input.action}`);
    if (!AUDIT_OUTCOME.test(input.outcome)) throw new Error(`bad audit outcome ${input.outcome}`);
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
    const last = await manager.query<{ seq: string; hash: Buffer }[]>(
      'SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1',
    );
    const prevHash = last[0] ? new Uint8Array(last[0].hash) : GENESIS_HASH;
    const record: AuditEventRecord = {
      seq: last[0] ? Number(last[0].seq) + 1 : 1,
      day: new Date().toISOString().slice(0, 10),
      actor: input.actor?.id ?? null,
      role: input.actor?.role ?? null,
      action: input.action,
      target: input.target ?? null,
      outcome: input.outcome,
    };
    const hash = auditEventHash(prevHash, hashedAuditEvent(record));
    await manager.query(
      `INSERT INTO audit_event (seq, day, actor, role, action, target, outcome, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        record.seq,
        record.day,
        record.actor,
        record.role,
        record.action,
        record.target,
        record.outcome,
        Buffer.from(prevHash),
        Buffer.from(hash),
      ],
    );
  }

  async recordNow(input: AuditEventInput): Promise<void> {
    await this.dataSource.transaction((manager) => this.record(manager, input));
  }
}
