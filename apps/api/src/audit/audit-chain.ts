import { verifyAuditChain, type ChainedEvent, type ChainVerification } from '@haven/crypto';
import { hashedAuditEvent, type AuditEventRecord } from './audit-event';

/** An `audit_event` row as node-postgres returns it. */
export interface AuditEventRow {
  seq: string | number;
  day: string | Date;
  /** `HH:MM`; null for day-only events (and every event written before the minute existed). */
  time_utc: string | null;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
  prev_hash: Buffer;
  hash: Buffer;
}

function dayText(day: string | Date): string {
  return typeof day === 'string' ? day.slice(0, 10) : day.toISOString().slice(0, 10);
}

export function chainedEvent(row: AuditEventRow): ChainedEvent & { seq: number } {
  const record: AuditEventRecord = {
    seq: Number(row.seq),
    day: dayText(row.day),
    time: row.time_utc ?? null,
    actor: row.actor,
    role: row.role,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
  };
  return {
    seq: record.seq,
    event: hashedAuditEvent(record),
    prevHash: new Uint8Array(row.prev_hash),
    hash: new Uint8Array(row.hash),
  };
}

export type AuditVerification =
  | { ok: true; count: number; headSeq: number; head: Uint8Array }
  | { ok: false; brokenAtSeq: number; reason: 'prev_hash' | 'hash' | 'malformed' | 'gap' };

/**
 * Recomputes the chain over rows ordered by seq (from the genesis or a checkpoint's hash) and
 * names the first broken link by its sequence number: a gap in `seq` counts as broken too.
 */
export function verifyAuditRows(
  rows: readonly AuditEventRow[],
  start?: { seq: number; head: Uint8Array },
): AuditVerification {
  const events = rows.map(chainedEvent);
  let expected = (start?.seq ?? 0) + 1;
  for (const e of events) {
    if (e.seq !== expected) return { ok: false, brokenAtSeq: expected, reason: 'gap' };
    expected += 1;
  }
  const result: ChainVerification = verifyAuditChain(events, start?.head);
  if (!result.ok) {
    return { ok: false, brokenAtSeq: events[result.brokenAt]?.seq ?? -1, reason: result.reason };
  }
  const last = events[events.length - 1];
  return {
    ok: true,
    count: result.count,
    headSeq: last?.seq ?? start?.seq ?? 0,
    head: result.head,
  };
}
