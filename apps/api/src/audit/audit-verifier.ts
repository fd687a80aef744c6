import { bytesEqual, GENESIS_HASH } from '@haven/crypto';
import { verifyAuditRows, type AuditEventRow } from './audit-chain';

/** Runs one SQL query; satisfied by a `pg` client or pool and by TypeORM's `query`. */
export type QueryFn = (sql: string, params: unknown[]) => Promise<{ rows: AuditEventRow[] }>;

/**
 * Events per query. Each batch is hashed in one go on the event loop (a few tens of
 * milliseconds), so the API keeps answering other requests during a long verification.
 */
const BATCH = 5_000;

/** A head the chain must still contain: a checkpoint the auditor kept. */
export interface ChainAnchor {
  seq: number;
  head: Uint8Array;
}

export interface VerifyLogOptions {
  /** Start at a kept checkpoint instead of the genesis (its head must still be at its seq). */
  from?: ChainAnchor;
  /**
   * Heads the chain must have at these seqs (signed checkpoints): a log rewritten with
   * recomputed hashes passes the hash check but not this one (`fork` at that seq), and a log
   * that ends before one of them was cut back (`rollback`).
   */
  anchors?: ReadonlyMap<number, Uint8Array>;
  /** Called after every batch with the number of events verified so far. */
  onProgress?: (verified: number) => void;
}

export type LogVerification =
  | { ok: true; fromSeq: number; count: number; headSeq: number; head: Uint8Array }
  | {
      ok: false;
      fromSeq: number;
      count: number;
      brokenAtSeq: number;
      /**
       * As verifyAuditRows, plus two for a kept checkpoint: `rollback` (the log ends before its
       * seq: events were removed) and `fork` (another event sits at its seq: the log was
       * rewritten).
       */
      reason: 'prev_hash' | 'hash' | 'malformed' | 'gap' | 'rollback' | 'fork';
    };

const SELECT_EVENTS = `SELECT seq, day::text AS day, time_utc, actor, role, action, target, outcome,
       prev_hash, hash
  FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2`;

/** Checks that the chain still holds `anchor.head` at `anchor.seq`. */
async function checkAnchor(query: QueryFn, anchor: ChainAnchor): Promise<LogVerification | null> {
  const broken = (reason: 'rollback' | 'fork' | 'gap'): LogVerification => ({
    ok: false,
    fromSeq: anchor.seq,
    count: 0,
    brokenAtSeq: anchor.seq,
    reason,
  });
  if (anchor.seq === 0) return bytesEqual(anchor.head, GENESIS_HASH) ? null : broken('fork');
  const { rows } = await query(
    `SELECT seq, hash, (SELECT max(seq) FROM audit_event) AS last
       FROM (SELECT 1) AS one LEFT JOIN audit_event ON seq = $1`,
    [anchor.seq],
  );
  const row = rows[0] as unknown as {
    seq: string | null;
    hash: Buffer | null;
    last: string | null;
  };
  if (row.seq === null || row.hash === null) {
    return broken(Number(row.last ?? 0) < anchor.seq ? 'rollback' : 'gap');
  }
  return bytesEqual(new Uint8Array(row.hash), anchor.head) ? null : broken('fork');
}

/**
 * Walks the audit log in sequence order, in batches (constant memory), and reports the first
 * broken link by sequence number. From the genesis by default, or from a kept checkpoint.
 * Used by `npm run audit:verify`, the auditors' API and the benchmark.
 */
export async function verifyAuditLog(
  query: QueryFn,
  options: VerifyLogOptions = {},
): Promise<LogVerification> {
  const fromSeq = options.from?.seq ?? 0;
  if (options.from) {
    const anchorBroken = await checkAnchor(query, options.from);
    if (anchorBroken) return anchorBroken;
  }
  let start = options.from ?? { seq: 0, head: GENESIS_HASH };
  let count = 0;
  // The next batch is fetched while this one is hashed: the database works while Node does.
  let next = query(SELECT_EVENTS, [start.seq, BATCH]);
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) {
      // A kept head beyond the end of the log: the events after the head were removed.
      const beyond = [...(options.anchors?.keys() ?? [])].filter((seq) => seq > start.seq);
      if (beyond.length > 0) {
        return { ok: false, fromSeq, count, brokenAtSeq: Math.min(...beyond), reason: 'rollback' };
      }
      return { ok: true, fromSeq, count, headSeq: start.seq, head: start.head };
    }
    next = query(SELECT_EVENTS, [Number(rows[rows.length - 1].seq), BATCH]);
    const broken = (result: LogVerification) => {
      // Nobody waits for the prefetched batch any more; its failure must not go unhandled.
      void next.catch(() => undefined);
      return result;
    };
    const result = verifyAuditRows(rows, start);
    if (!result.ok) return broken({ ...result, fromSeq, count });
    if (options.anchors?.size) {
      for (const row of rows) {
        const seq = Number(row.seq);
        const expected = options.anchors.get(seq);
        if (expected && !bytesEqual(new Uint8Array(row.hash), expected)) {
          return broken({ ok: false, fromSeq, count, brokenAtSeq: seq, reason: 'fork' });
        }
      }
    }
    count += result.count;
    start = { seq: result.headSeq, head: result.head };
    options.onProgress?.(count);
  }
}
