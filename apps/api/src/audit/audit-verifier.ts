import { GENESIS_HASH } from '@haven/crypto';
import { verifyAuditRows, type AuditEventRow, type AuditVerification } from './audit-chain';

/** Runs one SQL query; satisfied by a `pg` client or pool and by TypeORM's `query`. */
export type QueryFn = (sql: string, params: unknown[]) => Promise<{ rows: AuditEventRow[] }>;

const BATCH = 10_000;

/**
 * Walks the whole audit log in sequence order, in batches (constant memory), and reports the
 * first broken link by sequence number. Used by `npm run audit:verify` and the auditors' API.
 */
export async function verifyAuditLog(
  query: QueryFn,
  onProgress?: (verified: number) => void,
): Promise<AuditVerification> {
  let start = { seq: 0, head: GENESIS_HASH };
  let count = 0;
  for (;;) {
    const { rows } = await query(
      `SELECT seq, day::text AS day, actor, role, action, target, outcome, prev_hash, hash
         FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [start.seq, BATCH],
    );
    if (rows.length === 0) return { ok: true, count, headSeq: start.seq, head: start.head };
    const result = verifyAuditRows(rows, start);
    if (!result.ok) return result;
    count += result.count;
    start = { seq: result.headSeq, head: result.head };
    onProgress?.(count);
  }
}
