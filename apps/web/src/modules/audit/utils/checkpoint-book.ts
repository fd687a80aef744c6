/**
 * The checkpoints an auditor has seen, and what a new one says about the log. Checkpoints are
 * not personal data (a sequence number, a hash and a signature), but they are kept in memory
 * only and leave the browser as a file the auditor downloads: a copy the server cannot reach
 * is the point of keeping them (docs/audit.md, "Checkpoints").
 *
 * A new checkpoint must extend every kept one:
 * - same seq, another head: the log was rewritten (a fork);
 * - a lower seq than a kept one: events were removed (a rollback);
 * - a higher seq: it extends the kept ones only if the chain still holds their heads, which
 *   the server checks when asked to verify from the latest of them (useChainStatus).
 */
import {
  AUDIT_CHECKPOINT_BOOK_FORMAT,
  AuditCheckpointBook,
  type AuditCheckpoint,
} from '@haven/contracts';

export type Judgement =
  | { kind: 'new' }
  | { kind: 'known' }
  | { kind: 'extends'; from: AuditCheckpoint }
  | { kind: 'fork'; at: AuditCheckpoint }
  | { kind: 'rollback'; at: AuditCheckpoint };

export interface LogKey {
  publicKey: string;
  fingerprint: string;
}

export function emptyBook(logKey: LogKey, today: string): AuditCheckpointBook {
  return { format: AUDIT_CHECKPOINT_BOOK_FORMAT, savedOn: today, logKey, checkpoints: [] };
}

/** The kept checkpoint with the highest seq, if any. */
export function latest(book: AuditCheckpointBook): AuditCheckpoint | undefined {
  return book.checkpoints.reduce<AuditCheckpoint | undefined>(
    (best, c) => (best === undefined || c.seq > best.seq ? c : best),
    undefined,
  );
}

/** What `incoming` says against the kept checkpoints (signatures are checked elsewhere). */
export function judge(book: AuditCheckpointBook, incoming: AuditCheckpoint): Judgement {
  const same = book.checkpoints.find((c) => c.seq === incoming.seq);
  if (same) return same.head === incoming.head ? { kind: 'known' } : { kind: 'fork', at: same };
  const top = latest(book);
  if (!top) return { kind: 'new' };
  if (incoming.seq < top.seq) return { kind: 'rollback', at: top };
  return { kind: 'extends', from: top };
}

/** The book with `checkpoint` added (once), in seq order. */
export function add(book: AuditCheckpointBook, checkpoint: AuditCheckpoint): AuditCheckpointBook {
  if (book.checkpoints.some((c) => c.seq === checkpoint.seq && c.head === checkpoint.head)) {
    return book;
  }
  return {
    ...book,
    checkpoints: [...book.checkpoints, checkpoint].sort((a, b) => a.seq - b.seq),
  };
}

/** Two kept checkpoints with the same seq and different heads: proof of a fork. */
export function conflicts(book: AuditCheckpointBook): AuditCheckpoint[] {
  const bySeq = new Map<number, string>();
  const found: AuditCheckpoint[] = [];
  for (const c of book.checkpoints) {
    const head = bySeq.get(c.seq);
    if (head !== undefined && head !== c.head) found.push(c);
    bySeq.set(c.seq, c.head);
  }
  return found;
}

/** Reads a downloaded book back; null when the file is not one. */
export function parseBook(text: string): AuditCheckpointBook | null {
  try {
    const parsed = AuditCheckpointBook.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The file to download: stable key order, dated. */
export function serialiseBook(book: AuditCheckpointBook, today: string): string {
  return `${JSON.stringify({ ...book, savedOn: today }, null, 2)}\n`;
}
