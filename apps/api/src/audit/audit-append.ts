import { auditEventHash, GENESIS_HASH, type AuditCheckpoint } from '@haven/crypto';
import {
  AUDIT_ACTION,
  AUDIT_OUTCOME,
  eventClock,
  hashedAuditEvent,
  type AuditEventInput,
  type AuditEventRecord,
} from './audit-event';

/** Runs one SQL statement and returns its rows (TypeORM's `manager.query`, or a pg wrapper). */
export type SqlFn = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/** Any constant: every append takes this transaction-scoped lock, so the chain stays linear. */
export const AUDIT_LOCK_KEY = 0x68766e41; // 'hvnA'

/** The append that makes `seq` a multiple of this also stores a signed checkpoint. */
export const CHECKPOINT_EVERY = 1000;

/** What signs checkpoints (AuditLogKey). */
export interface CheckpointSigner {
  readonly publicKey: Uint8Array;
  sign(seq: number, head: Uint8Array): AuditCheckpoint;
}

export interface AppendOptions {
  /** The clock (tests and benchmarks pass their own). */
  now?: Date;
  /** Signs a checkpoint every CHECKPOINT_EVERY events; none without it. */
  signer?: CheckpointSigner | null;
}

export interface AppendedEvent extends AuditEventRecord {
  prevHash: Uint8Array;
  hash: Uint8Array;
}

/** Stores a signed checkpoint; a second one for the same seq is ignored. */
export async function storeCheckpoint(
  sql: SqlFn,
  checkpoint: AuditCheckpoint,
  publicKey: Uint8Array,
): Promise<void> {
  await sql(
    `INSERT INTO audit_checkpoint (seq, head, signature, public_key) VALUES ($1, $2, $3, $4)
     ON CONFLICT (seq) DO NOTHING`,
    [
      checkpoint.seq,
      Buffer.from(checkpoint.head),
      Buffer.from(checkpoint.signature),
      Buffer.from(publicKey),
    ],
  );
}

/**
 * Appends one hash-chained event. Must run inside a transaction (the caller's): the advisory
 * lock serialises appends until that transaction ends, so `seq` stays gapless and every event
 * links to the one before it; the event commits or rolls back with the action it describes.
 */
export async function appendAuditEvent(
  sql: SqlFn,
  input: AuditEventInput,
  options: AppendOptions = {},
): Promise<AppendedEvent> {
  if (!AUDIT_ACTION.test(input.action)) throw new Error(`bad audit action ${input.action}`);
  if (!AUDIT_OUTCOME.test(input.outcome)) throw new Error(`bad audit outcome ${input.outcome}`);
  // Takes the lock, then reads the head with a snapshot taken after it (migration
  // 1795380000000): every append committed before the lock is seen.
  const last = (await sql('SELECT seq, hash FROM audit_event_head($1)', [AUDIT_LOCK_KEY])) as {
    seq: string;
    hash: Buffer;
  }[];
  const prevHash = last[0] ? new Uint8Array(last[0].hash) : GENESIS_HASH;
  const { day, time } = eventClock(input.action, options.now ?? new Date());
  const record: AuditEventRecord = {
    seq: last[0] ? Number(last[0].seq) + 1 : 1,
    day,
    time,
    actor: input.actor?.id ?? null,
    role: input.actor?.role ?? null,
    action: input.action,
    target: input.target ?? null,
    outcome: input.outcome,
  };
  const hash = auditEventHash(prevHash, hashedAuditEvent(record));
  await sql(
    `INSERT INTO audit_event
       (seq, day, time_utc, actor, role, action, target, outcome, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      record.seq,
      record.day,
      record.time,
      record.actor,
      record.role,
      record.action,
      record.target,
      record.outcome,
      Buffer.from(prevHash),
      Buffer.from(hash),
    ],
  );
  if (options.signer && record.seq % CHECKPOINT_EVERY === 0) {
    await storeCheckpoint(sql, options.signer.sign(record.seq, hash), options.signer.publicKey);
  }
  return { ...record, prevHash, hash };
}
