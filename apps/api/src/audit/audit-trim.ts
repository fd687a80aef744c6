import { isCryptoError, verifyAuditCheckpoint } from '@haven/crypto';
import {
  AUDIT_LOCK_KEY,
  appendAuditEvent,
  type CheckpointSigner,
  type SqlFn,
} from './audit-append';
import type { AuditEventRow } from './audit-chain';
import { verifyAuditLog } from './audit-verifier';

export type TrimResult =
  | { trimmed: 0; reason: 'forever' | 'nothing_due' }
  | { trimmed: number; throughSeq: number }
  | { trimmed: 0; reason: 'chain_broken'; brokenAtSeq: number };

/**
 * Trims the audit log to `days` (docs/audit.md "Trimming"), inside the caller's transaction.
 *
 * The boundary is the highest checkpoint signed by this log key whose seq is above the last
 * trim and below the first event on or after the cutoff: only whole, signed stretches of old
 * events go. Before deleting, the chain from the last trim to the boundary is verified against
 * the signed checkpoints in it (evidence of tampering must not be trimmed away); if it is
 * broken, nothing is deleted and `audit.trim failed:chain_broken` is appended instead. Else
 * `audit.trim ok` with target `through:<seq>` is appended and `audit_trim(seq)` (SECURITY
 * DEFINER, migration 1795450000000) checks it, deletes and records the anchor.
 */
export async function trimAuditLog(
  sql: SqlFn,
  signer: CheckpointSigner,
  days: number | null,
): Promise<TrimResult> {
  if (days === null) return { trimmed: 0, reason: 'forever' };
  // The log's lock first: no append moves the head while the boundary is chosen.
  await sql('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // The cutoff as audit_trim() computes it: today (UTC, the database's clock) minus the days.
  const [bounds] = (await sql(
    `SELECT (SELECT coalesce(max(seq), 0) FROM audit_trim) AS previous,
            (SELECT min(seq) FROM audit_event
              WHERE day >= (now() AT TIME ZONE 'UTC')::date - $1::int) AS first_kept,
            (SELECT max(seq) FROM audit_event) AS head`,
    [days],
  )) as { previous: string; first_kept: string | null; head: string | null }[];
  const previous = Number(bounds.previous);
  const limit = Number(bounds.first_kept ?? Number(bounds.head ?? 0) + 1);
  const candidates = (await sql(
    `SELECT c.seq, c.head, c.signature
       FROM audit_checkpoint c JOIN audit_event e ON e.seq = c.seq AND e.hash = c.head
      WHERE c.seq > $1 AND c.seq < $2 AND c.public_key = $3
      ORDER BY c.seq DESC`,
    [previous, limit, Buffer.from(signer.publicKey)],
  )) as { seq: string; head: Buffer; signature: Buffer }[];
  const anchors = new Map<number, Uint8Array>();
  for (const c of candidates) {
    const checkpoint = {
      seq: Number(c.seq),
      head: new Uint8Array(c.head),
      signature: new Uint8Array(c.signature),
    };
    try {
      verifyAuditCheckpoint(checkpoint, signer.publicKey);
      anchors.set(checkpoint.seq, checkpoint.head);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
  }
  if (anchors.size === 0) return { trimmed: 0, reason: 'nothing_due' };
  const throughSeq = Math.max(...anchors.keys());

  const check = await verifyAuditLog(
    async (text, params) => ({ rows: (await sql(text, params)) as AuditEventRow[] }),
    { anchors, logKey: signer.publicKey, throughSeq },
  );
  if (!check.ok || check.headSeq !== throughSeq) {
    await appendAuditEvent(
      sql,
      { actor: null, action: 'audit.trim', target: null, outcome: 'failed:chain_broken' },
      { signer },
    );
    return { trimmed: 0, reason: 'chain_broken', brokenAtSeq: check.ok ? -1 : check.brokenAtSeq };
  }
  await appendAuditEvent(
    sql,
    { actor: null, action: 'audit.trim', target: `through:${throughSeq}`, outcome: 'ok' },
    { signer },
  );
  const [done] = (await sql('SELECT audit_trim($1) AS deleted', [throughSeq])) as {
    deleted: string;
  }[];
  return { trimmed: Number(done.deleted), throughSeq };
}
