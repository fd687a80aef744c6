import { bytesEqual, GENESIS_HASH, isCryptoError, verifyAuditCheckpoint } from '@haven/crypto';
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
  /**
   * The log key: the trim anchor's checkpoint signature must verify under it. Without it only
   * the anchor's link to the chain is checked (the CLI without a key).
   */
  logKey?: Uint8Array;
  /** Stop after this seq (the trim checks the events it is about to delete). */
  throughSeq?: number;
}

/** Where a trimmed log starts: the last deleted seq and its hash (docs/audit.md "Trimming"). */
export interface TrimAnchor {
  seq: number;
  head: Uint8Array;
  /** The `audit.trim` event that names this anchor (`through:<seq>`). */
  trimSeq: number;
  trimmedOn: string;
}

interface TrimRow {
  seq: string;
  head: Buffer;
  signature: Buffer;
  public_key: Buffer;
  trim_seq: string;
  trimmed_on: string;
  action: string | null;
  target: string | null;
  outcome: string | null;
}

/** What every verification answers besides its result: where the log starts. */
export interface TrimInfo {
  /** Events up to this seq were trimmed by retention; null when the log starts at seq 1. */
  trimmedThroughSeq: number | null;
  trimmedOn: string | null;
}

export type LogVerification = TrimInfo &
  (
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
        reason: 'prev_hash' | 'hash' | 'malformed' | 'gap' | 'rollback' | 'fork' | 'anchor';
      }
  );

type Verdict = DistributiveOmit<LogVerification, keyof TrimInfo>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const SELECT_EVENTS = `SELECT seq, day::text AS day, time_utc, actor, role, action, target, outcome,
       prev_hash, hash
  FROM audit_event WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`;

const SELECT_TRIM = `SELECT t.seq, t.head, t.signature, t.public_key, t.trim_seq,
       t.trimmed_on::text AS trimmed_on, e.action, e.target, e.outcome
  FROM audit_trim t LEFT JOIN audit_event e ON e.seq = t.trim_seq
  ORDER BY t.seq DESC LIMIT 1`;

/**
 * The latest trim anchor, checked: its checkpoint signature under the log key (when known),
 * and the `audit.trim ok` event with target `through:<seq>` that must still sit at `trim_seq`
 * in the chain, so that the anchor cannot be moved without rewriting a hashed event. The link
 * itself (the first kept event's prev_hash = the anchor's head) is checked by the chain walk.
 */
async function readTrimAnchor(
  query: QueryFn,
  logKey: Uint8Array | undefined,
): Promise<{ anchor: TrimAnchor | null; broken: boolean }> {
  const { rows } = await query(SELECT_TRIM, []);
  const row = rows[0] as unknown as TrimRow | undefined;
  if (!row) return { anchor: null, broken: false };
  const anchor: TrimAnchor = {
    seq: Number(row.seq),
    head: new Uint8Array(row.head),
    trimSeq: Number(row.trim_seq),
    trimmedOn: row.trimmed_on,
  };
  let broken =
    row.action !== 'audit.trim' || row.outcome !== 'ok' || row.target !== `through:${anchor.seq}`;
  if (logKey) {
    try {
      verifyAuditCheckpoint(
        { seq: anchor.seq, head: anchor.head, signature: new Uint8Array(row.signature) },
        logKey,
      );
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      broken = true;
    }
  }
  return { anchor, broken };
}

/** Checks that the chain still holds `anchor.head` at `anchor.seq`. */
async function checkAnchor(query: QueryFn, anchor: ChainAnchor): Promise<Verdict | null> {
  const broken = (reason: 'rollback' | 'fork' | 'gap'): Verdict => ({
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
 * broken link by sequence number. From the genesis by default, from the trim anchor when
 * retention trimmed the log, or from a kept checkpoint (one below the trim anchor has nothing
 * left to compare with: the walk starts at the anchor). Used by `npm run audit:verify`, the
 * auditors' API, the trim itself and the benchmark.
 */
export async function verifyAuditLog(
  query: QueryFn,
  options: VerifyLogOptions = {},
): Promise<LogVerification> {
  const { anchor: trim, broken: trimBroken } = await readTrimAnchor(query, options.logKey);
  const info: TrimInfo = {
    trimmedThroughSeq: trim?.seq ?? null,
    trimmedOn: trim?.trimmedOn ?? null,
  };
  const verdict = await walk(query, options, trim, trimBroken);
  return { ...verdict, ...info };
}

async function walk(
  query: QueryFn,
  options: VerifyLogOptions,
  trim: TrimAnchor | null,
  trimBroken: boolean,
): Promise<Verdict> {
  const base: ChainAnchor = trim ?? { seq: 0, head: GENESIS_HASH };
  if (trim && trimBroken) {
    return { ok: false, fromSeq: trim.seq, count: 0, brokenAtSeq: trim.seq, reason: 'anchor' };
  }
  let from = options.from;
  if (trim && from && from.seq <= trim.seq) {
    // A kept checkpoint at the anchor must hold its head; one below it was trimmed away.
    if (from.seq === trim.seq && !bytesEqual(from.head, trim.head)) {
      return { ok: false, fromSeq: from.seq, count: 0, brokenAtSeq: from.seq, reason: 'fork' };
    }
    from = undefined;
  }
  if (trim) {
    const atAnchor = options.anchors?.get(trim.seq);
    if (atAnchor && !bytesEqual(atAnchor, trim.head)) {
      return { ok: false, fromSeq: trim.seq, count: 0, brokenAtSeq: trim.seq, reason: 'fork' };
    }
  }
  const fromSeq = from?.seq ?? base.seq;
  if (from) {
    const anchorBroken = await checkAnchor(query, from);
    if (anchorBroken) return anchorBroken;
  }
  let start = from ?? base;
  let count = 0;
  const through = options.throughSeq ?? Number.MAX_SAFE_INTEGER;
  // The next batch is fetched while this one is hashed: the database works while Node does.
  let next = query(SELECT_EVENTS, [start.seq, BATCH, through]);
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) {
      // A kept head beyond the end of the log: the events after the head were removed.
      const beyond = [...(options.anchors?.keys() ?? [])].filter(
        (seq) => seq > start.seq && seq <= through,
      );
      if (beyond.length > 0) {
        return { ok: false, fromSeq, count, brokenAtSeq: Math.min(...beyond), reason: 'rollback' };
      }
      return { ok: true, fromSeq, count, headSeq: start.seq, head: start.head };
    }
    next = query(SELECT_EVENTS, [Number(rows[rows.length - 1].seq), BATCH, through]);
    const broken = (result: Verdict) => {
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
