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
  const [event] = await appendAuditEvents(sql, [input], options);
  return event;
}

/**
 * Appends several events, in order, under one acquisition of the log's lock: one head read,
 * the chain extended by all of them in memory, one INSERT, then the checkpoint of every
 * CHECKPOINT_EVERY-th seq among them. Same rules as `appendAuditEvent` (inside the caller's
 * transaction, the lock held until it ends); used by the intake's batched submissions, where
 * one transaction stores many actions and must log one event for each.
 */
export async function appendAuditEvents(
  sql: SqlFn,
  inputs: readonly AuditEventInput[],
  options: AppendOptions = {},
): Promise<AppendedEvent[]> {
  for (const input of inputs) {
    if (!AUDIT_ACTION.test(input.action)) throw new Error(`bad audit action ${input.action}`);
    if (!AUDIT_OUTCOME.test(input.outcome)) throw new Error(`bad audit outcome ${input.outcome}`);
  }
  if (inputs.length === 0) return [];
  // Takes the lock, then reads the head with a snapshot taken after it (migration
  // 1795380000000): every append committed before the lock is seen.
  const last = (await sql('SELECT seq, hash FROM audit_event_head($1)', [AUDIT_LOCK_KEY])) as {
    seq: string;
    hash: Buffer;
  }[];
  let prevHash = last[0] ? new Uint8Array(last[0].hash) : GENESIS_HASH;
  let seq = last[0] ? Number(last[0].seq) : 0;
  const now = options.now ?? new Date();
  const events = inputs.map((input): AppendedEvent => {
    const { day, time } = eventClock(input.action, now);
    seq += 1;
    const record: AuditEventRecord = {
      seq,
      day,
      time,
      actor: input.actor?.id ?? null,
      role: input.actor?.role ?? null,
      action: input.action,
      target: input.target ?? null,
      outcome: input.outcome,
    };
    const hash = auditEventHash(prevHash, hashedAuditEvent(record));
    const event = { ...record, prevHash, hash };
    prevHash = hash;
    return event;
  });
  // The hashes go as two binary parameters (32 bytes per event, side by side): node-postgres
  // would send arrays of bytes as hex text.
  await sql(
    `INSERT INTO audit_event
       (seq, day, time_utc, actor, role, action, target, outcome, prev_hash, hash)
     SELECT seq, day, time_utc, actor, role, action, target, outcome,
            substring($9::bytea FROM i::int * 32 - 31 FOR 32),
            substring($10::bytea FROM i::int * 32 - 31 FOR 32)
     FROM unnest($1::bigint[], $2::date[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                 $7::text[], $8::text[])
       WITH ORDINALITY AS t(seq, day, time_utc, actor, role, action, target, outcome, i)`,
    [
      events.map((e) => e.seq),
      events.map((e) => e.day),
      events.map((e) => e.time),
      events.map((e) => e.actor),
      events.map((e) => e.role),
      events.map((e) => e.action),
      events.map((e) => e.target),
      events.map((e) => e.outcome),
      Buffer.concat(events.map((e) => e.prevHash)),
      Buffer.concat(events.map((e) => e.hash)),
    ],
  );
  if (options.signer) {
    for (const e of events) {
      if (e.seq % CHECKPOINT_EVERY === 0) {
        await storeCheckpoint(sql, options.signer.sign(e.seq, e.hash), options.signer.publicKey);
      }
    }
  }
  return events;
}
